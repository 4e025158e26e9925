"""Mutations on event sources, one module per operation, gathered in :class:`SourceMutations`."""

from __future__ import annotations

import strawberry

from cairn.graphql.sources.mutations.create_source import create_source
from cairn.graphql.sources.mutations.disable_source import disable_source
from cairn.graphql.sources.mutations.update_source import update_source


@strawberry.type
class SourceMutations:
    """Root mutation fields about event sources."""

    create_source = create_source
    update_source = update_source
    disable_source = disable_source
