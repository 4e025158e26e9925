"""``updateSegment``: rename, describe, change the condition, enable or disable a segment."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.core.conditions import ConditionError
from cairn.core.segments import SegmentInvalid
from cairn.core.segments.plugin import segments_of
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import FieldError, InvalidInput, NotFound
from cairn.graphql.segments.mutations.results import SegmentSaved
from cairn.graphql.segments.types import InvalidCondition, Segment, SegmentJob

UpdateSegmentResult = Annotated[SegmentSaved | InvalidCondition | InvalidInput | NotFound,
                                strawberry.union("UpdateSegmentResult")]


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Change a segment; arguments left out (or null) keep their value. A new "
                                 "condition or enabled flag recomputes the members (`emitEvents` emits the "
                                 "resulting `segment-entered`/`segment-left` events).")
async def update_segment(info: Info, id: strawberry.ID, name: str | None = None,  # noqa: A002 - GraphQL's name
                         description: str | None = None, condition: str | None = None, enabled: bool | None = None,
                         emit_events: bool = False) -> UpdateSegmentResult:
    service = segments_of(info.context.cairn)
    before = await service.get(str(id))
    try:
        segment = await service.update(str(id), name=name, description=description, condition=condition,
                                       enabled=enabled, emit_events=emit_events)
    except ConditionError as error:
        return InvalidCondition.of(error)
    except SegmentInvalid as error:
        return InvalidInput.of([FieldError(field=error.field, message=error.message)])
    if segment is None or before is None:
        return NotFound.of("segment", str(id))
    jobs = await service.jobs_of(segment.id, 1) if segment.revision != before.revision else []
    return SegmentSaved(segment=Segment.from_model(segment), job=SegmentJob.from_model(jobs[0]) if jobs else None)
