"""Queries on segments: definitions, preview, condition problems, jobs and a profile's segment history."""

from __future__ import annotations

from typing import Annotated

import strawberry
from graphql import GraphQLError

from cairn.core.conditions import ConditionError
from cairn.core.models.profile import Profile as ProfileModel
from cairn.core.reads.pagination import Page
from cairn.core.segments import Preview, PreviewFailed
from cairn.core.segments.plugin import segments_of
from cairn.graphql.context import Info
from cairn.graphql.pagination import Connection, paginate
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.profiles.types import Profile
from cairn.graphql.segments.types import (
    InvalidCondition,
    Segment,
    SegmentChange,
    SegmentJob,
    SegmentJobMode,
    SegmentPreview,
)

SegmentPreviewResult = Annotated[SegmentPreview | InvalidCondition, strawberry.union("SegmentPreviewResult")]


@strawberry.type
class SegmentQueries:
    """Root query fields about segments."""

    @strawberry.field(permission_classes=[IsAdmin], description="Every segment, by name.")
    async def segments(self, info: Info) -> list[Segment]:
        return [Segment.from_model(segment) for segment in await segments_of(info.context.cairn).all()]

    @strawberry.field(permission_classes=[IsAdmin], description="The segment with this id.")
    async def segment(self, info: Info, id: strawberry.ID) -> Segment | None:  # noqa: A002 - GraphQL's name
        found = await segments_of(info.context.cairn).get(str(id))
        return Segment.from_model(found) if found else None

    @strawberry.field(permission_classes=[IsAdmin],
                      description="Every problem in a segment condition, with its position ([] when it is valid).")
    async def segment_condition_problems(self, info: Info, condition: str) -> list[InvalidCondition]:
        return [InvalidCondition.of(error) for error in segments_of(info.context.cairn).check(condition)]

    @strawberry.field(permission_classes=[IsAdmin],
                      description="How many live profiles a condition selects now and a page of them, "
                                  "most recently seen first, before the segment is saved.")
    async def segment_preview(self, info: Info, condition: str, first: int | None = None,
                              after: str | None = None) -> SegmentPreviewResult:
        service = segments_of(info.context.cairn)
        previews: list[Preview] = []

        async def fetch(size: int, cursor: str | None) -> Page[ProfileModel]:
            previews.append(await service.preview(condition, first=size, after=cursor))
            return previews[-1].sample

        try:
            profiles = await paginate(info, first, after, fetch, Profile.from_model)
        except ConditionError as error:
            return InvalidCondition.of(error)
        except PreviewFailed as error:
            raise GraphQLError(str(error), extensions={"code": "CONDITION_FAILED",
                                                       "hint": "fix the function the condition calls"}) from error
        preview = previews[-1]
        return SegmentPreview(mode=SegmentJobMode(preview.mode), count=preview.count, exact=preview.exact,
                              scanned=preview.scanned, profiles=profiles)

    @strawberry.field(permission_classes=[IsAdmin], description="A recompute job and its progress.")
    async def segment_job(self, info: Info, id: strawberry.ID) -> SegmentJob | None:  # noqa: A002 - GraphQL's name
        found = await segments_of(info.context.cairn).job(str(id))
        return SegmentJob.from_model(found) if found else None

    @strawberry.field(permission_classes=[IsAdmin],
                      description="The segments a profile (and the profiles merged into it) entered and left, "
                                  "newest first.")
    async def profile_segment_history(self, info: Info, profile_id: strawberry.ID, first: int | None = None,
                                      after: str | None = None) -> Connection[SegmentChange]:
        service = segments_of(info.context.cairn)
        return await paginate(info, first, after,
                              lambda size, cursor: service.profile_history(str(profile_id), first=size, after=cursor),
                              SegmentChange.from_model)
