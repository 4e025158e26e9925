"""The outbox's GraphQL types as a plugin: register ``cairn.graphql.outbox.plugin``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.core.plugin_manager import hookimpl

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn


@hookimpl
def register_graphql_types(cairn: Cairn) -> dict[str, list[type]]:
    """Outbox entries, deliveries and channels (queries); channel settings and retries (mutations)."""
    from cairn.graphql.outbox.mutations import OutboxMutations
    from cairn.graphql.outbox.queries import OutboxQueries

    return {"query": [OutboxQueries], "mutation": [OutboxMutations]}
