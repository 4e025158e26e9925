"""Every hook a Cairn plugin can implement: the plugin author's reference.

Implement a hook by writing a function of the same name decorated with
``cairn.core.hookimpl`` in a module or class registered under the ``cairn``
entry-point group. A hook may return a value, an awaitable or an async callable;
Cairn awaits whatever comes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from cairn.core.runtime import Cairn

hookspec = pluggy.HookspecMarker("cairn")


@hookspec
def register_routes(cairn: Cairn) -> list[BaseRoute] | None:
    """Return Starlette routes to add to Cairn's HTTP server."""


@hookspec
def register_graphql_types(cairn: Cairn) -> dict[str, list[type]] | None:
    """Return Strawberry types to merge into the root schema: ``{"query": [...], "mutation": [...],
    "subscription": [...]}``; each type's fields become root fields."""


@hookspec
def on_startup(cairn: Cairn) -> Any:
    """Cairn has connected to its store and is about to serve; prepare what you need."""


@hookspec
def on_shutdown(cairn: Cairn) -> Any:
    """Cairn is stopping; release what you hold."""


@hookspec
def on_events_stored(cairn: Cairn, events: list[dict[str, Any]]) -> Any:
    """Events were stored (one call per request, with that request's stored events)."""
