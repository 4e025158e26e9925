"""Every hook a Cairn plugin can implement: the plugin author's reference.

Implement a hook by writing a function of the same name decorated with
``cairn.core.plugin_manager.hookimpl`` in a module (or on an object) registered under
the ``cairn`` entry-point group::

    # pyproject.toml of your package
    [project.entry-points.cairn]
    acme = "acme_cairn.plugin"

A hook may return a value, an awaitable or an async callable; Cairn awaits whatever
comes back. Names tell the kind: ``register_*`` returns classes for a registry,
``on_*`` is a notification whose return value is ignored. A hook whose name matches
none below fails start-up (a typo would otherwise be silently ignored).

What goes wrong in a plugin stays in it: a package that fails to import, a node type
whose config schema cannot be built or a notification that raises is reported in the
GraphQL ``pluginProblems`` list (and the log), the plugin is disabled where needed, and
Cairn and every other flow keep running.
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
    """Return flow node classes (subclasses of ``cairn.core.nodes.NodeType``).

    Called once at start-up to build the node registry. Each class must have a
    globally unique ``id`` (prefix it with your package name): two plugins declaring
    the same id fail start-up, naming both. A class that is not a ``NodeType``, lacks
    an ``id`` or ``name``, or whose ``Config.model_json_schema()`` raises disables the
    whole plugin (reported in ``pluginProblems``). A node that keeps raising at run is
    disabled after ``CAIRN_NODE_FAILURE_LIMIT`` consecutive failures.
    """


@hookspec
def register_channels() -> list[type] | None:
    """Return channel classes (subclasses of ``cairn.core.outbox.Channel``: e-mail, SMS, webhook…).

    Nodes never call a channel directly: messages go through the outbox, which calls
    the channel only after the core's consent check, with retries and backoff.
    """


@hookspec
def register_widgets() -> list[type] | None:
    """Return widget classes (subclasses of ``cairn.core.widgets.Widget``) that flows can ask a page to mount.

    Ids must be globally unique: a duplicate fails start-up naming both plugins. A
    widget whose template or config schema is broken disables its plugin (reported
    in GraphQL ``pluginProblems``).
    """


@hookspec
def register_routes(cairn: Cairn) -> list[BaseRoute] | None:
    """Return Starlette routes to add to Cairn's HTTP server."""


@hookspec
def register_graphql_types(cairn: Cairn) -> dict[str, list[type]] | None:
    """Return Strawberry types to merge into the root schema: ``{"query": [...], "mutation": [...],
    "subscription": [...]}``; each type's fields become root fields.

    Resolvers get ``cairn.graphql.context.Info``; protect every root field with the
    ``cairn.graphql.permissions.IsAdmin`` permission class. Two plugins defining the
    same root field stop start-up with an error naming both.
    """


@hookspec
def on_startup(cairn: Cairn) -> Any:
    """Cairn has connected to its store and built its node registry; prepare what you need."""


@hookspec
def on_shutdown(cairn: Cairn) -> Any:
    """Cairn is stopping; release what you hold."""


@hookspec
def on_events_stored(cairn: Cairn, events: list[dict[str, Any]]) -> Any:
    """Events were stored and their flows ran (one call per request, with that request's stored events).

    Each event dict is the stored form: ``id``, ``type``, ``profile_id``, ``session_id``,
    ``properties``, ``traits``, ``context``, ``valid``, ``validation_errors``… An
    exception is reported in ``pluginProblems``; it never fails the request.
    """


@hookspec
def on_profile_changed(cairn: Cairn, profile: dict[str, Any], changes: list[Any]) -> Any:
    """A profile was saved with ``changes`` (one call per profile per save).

    ``profile`` is the profile as saved; ``changes`` are the operations applied
    (``cairn.core.profiles.changes``: ``SetField``, ``Increment``…), from the events
    themselves, from event mappings and from flows. An exception is reported in
    ``pluginProblems``; it never fails the save.
    """
