"""Segments' GraphQL types as a plugin: register ``cairn.graphql.segments.plugin`` with the
segmentation plugin (``cairn.core.segments.plugin``) that runs the service they read."""

from __future__ import annotations

from cairn.core.plugin_manager import hookimpl
from cairn.core.runtime import Cairn


@hookimpl
def register_graphql_types(cairn: Cairn) -> dict[str, list[type]]:
    """The segment queries and mutations."""
    from cairn.graphql.segments.mutations import SegmentMutations
    from cairn.graphql.segments.queries import SegmentQueries

    return {"query": [SegmentQueries], "mutation": [SegmentMutations]}
