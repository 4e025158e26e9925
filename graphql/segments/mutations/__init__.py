"""Mutations on segments, one module per operation, gathered in :class:`SegmentMutations`."""

from __future__ import annotations

import strawberry

from cairn.graphql.segments.mutations.create_segment import create_segment
from cairn.graphql.segments.mutations.delete_segment import delete_segment
from cairn.graphql.segments.mutations.recompute_segment import recompute_segment
from cairn.graphql.segments.mutations.update_segment import update_segment


@strawberry.type
class SegmentMutations:
    """Root mutation fields about segments."""

    create_segment = create_segment
    update_segment = update_segment
    delete_segment = delete_segment
    recompute_segment = recompute_segment
