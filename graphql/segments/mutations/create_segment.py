"""``createSegment``: a new segment, whose members are then computed in the background."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.core.conditions import ConditionError
from cairn.core.segments import SegmentInvalid
from cairn.core.segments.plugin import segments_of
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import FieldError, InvalidInput
from cairn.graphql.segments.mutations.results import SegmentSaved
from cairn.graphql.segments.types import InvalidCondition, Segment, SegmentJob

CreateSegmentResult = Annotated[SegmentSaved | InvalidCondition | InvalidInput,
                                strawberry.union("CreateSegmentResult")]


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Create a segment and start computing its members. `emitEvents` also emits "
                                 "`segment-entered` for the profiles already matching (a backfill).")
async def create_segment(info: Info, name: str, condition: str, description: str = "", enabled: bool = True,
                         emit_events: bool = False) -> CreateSegmentResult:
    service = segments_of(info.context.cairn)
    try:
        segment = await service.create(name, condition, description=description, enabled=enabled,
                                       emit_events=emit_events)
    except ConditionError as error:
        return InvalidCondition.of(error)
    except SegmentInvalid as error:
        return InvalidInput.of([FieldError(field=error.field, message=error.message)])
    jobs = await service.jobs_of(segment.id, 1)
    return SegmentSaved(segment=Segment.from_model(segment), job=SegmentJob.from_model(jobs[0]) if jobs else None)
