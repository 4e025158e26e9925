"""Privacy's GraphQL types as a plugin: register ``cairn.graphql.privacy.plugin``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.core.plugin_manager import hookimpl

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn


@hookimpl
def register_graphql_types(cairn: Cairn) -> dict[str, list[type]]:
    """``exportProfile`` (query) and ``eraseProfile`` (mutation)."""
    from cairn.graphql.privacy.mutations import PrivacyMutations
    from cairn.graphql.privacy.queries import PrivacyQueries

    return {"query": [PrivacyQueries], "mutation": [PrivacyMutations]}
