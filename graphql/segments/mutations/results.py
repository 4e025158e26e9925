"""Success results of the segment mutations."""

from __future__ import annotations

import strawberry

from cairn.graphql.segments.types import Segment, SegmentJob


@strawberry.type
class SegmentSaved:
    """The segment was saved; when its condition or enabled flag changed, `job` recomputes its members."""

    segment: Segment
    job: SegmentJob | None


@strawberry.type
class SegmentDeleted:
    """The segment is gone; its members lose it in the background."""

    id: strawberry.ID


@strawberry.type
class SegmentRecomputing:
    """A recompute job started."""

    job: SegmentJob
