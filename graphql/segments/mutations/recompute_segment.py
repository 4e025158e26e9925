"""``recomputeSegment``: recompute a segment's members now."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.core.conditions import ConditionError
from cairn.core.segments.plugin import segments_of
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound
from cairn.graphql.segments.mutations.results import SegmentRecomputing
from cairn.graphql.segments.types import InvalidCondition, SegmentJob

RecomputeSegmentResult = Annotated[SegmentRecomputing | InvalidCondition | NotFound,
                                   strawberry.union("RecomputeSegmentResult")]


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Recompute a segment's members in the background (a running job of the segment "
                                 "is cancelled); `emitEvents` emits the changes' events.")
async def recompute_segment(info: Info, id: strawberry.ID,  # noqa: A002 - GraphQL's name
                            emit_events: bool = False) -> RecomputeSegmentResult:
    try:
        job = await segments_of(info.context.cairn).recompute(str(id), emit_events=emit_events)
    except ConditionError as error:
        return InvalidCondition.of(error)
    if job is None:
        return NotFound.of("segment", str(id))
    return SegmentRecomputing(job=SegmentJob.from_model(job))
