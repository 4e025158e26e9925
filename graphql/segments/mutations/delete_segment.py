"""``deleteSegment``: remove a segment; its members lose it in the background."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.core.segments.plugin import segments_of
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound
from cairn.graphql.segments.mutations.results import SegmentDeleted

DeleteSegmentResult = Annotated[SegmentDeleted | NotFound, strawberry.union("DeleteSegmentResult")]


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Delete a segment and its size history (the profiles' segment history stays).")
async def delete_segment(info: Info, id: strawberry.ID) -> DeleteSegmentResult:  # noqa: A002 - GraphQL's name
    if await segments_of(info.context.cairn).delete(str(id)):
        return SegmentDeleted(id=id)
    return NotFound.of("segment", str(id))
