"""Consents' GraphQL types as a plugin: register ``cairn.graphql.consents.plugin``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.core.plugin_manager import hookimpl

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn


@hookimpl
def register_graphql_types(cairn: Cairn) -> dict[str, list[type]]:
    """Consent types, profile consents and history (queries); their changes (mutations)."""
    from cairn.graphql.consents.mutations import ConsentMutations
    from cairn.graphql.consents.queries import ConsentQueries

    return {"query": [ConsentQueries], "mutation": [ConsentMutations]}
