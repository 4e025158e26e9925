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

    from cairn.core.nodes.base import NodeType
    from cairn.core.runtime import Cairn

hookspec = pluggy.HookspecMarker("cairn")


@hookspec
def register_node_types() -> list[type[NodeType]] | None:
    """Return flow node classes (subclasses of ``cairn.core.nodes.NodeType``)."""


@hookspec
def register_channels() -> list[type] | None:
    """Return channel classes (e-mail, SMS, webhook…) that nodes send messages through."""


@hookspec
def register_widgets() -> list[type] | None:
    """Return widget classes (pop-ups a website shows) that flows can ask a page to mount."""


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


@hookspec
def on_profile_changed(cairn: Cairn, profile: dict[str, Any], changes: list[Any]) -> Any:
    """A profile was saved with ``changes`` (one call per profile per save)."""
