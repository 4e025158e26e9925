"""The web editor as a plugin: Cairn serves the built single-page app at ``/``.

Register ``cairn.plugins.editor``. The app (``frontend/editor/``, built into
``frontend/editor/dist/`` by ``scripts/build-editor.sh``; the build is committed, so
serving needs no npm) talks to Cairn only through ``/graphql``, with an admin token.

Routes, added after every other plugin's (``trylast``):

* ``/editor-assets/…``: the built scripts and styles (hashed names, cached for a year);
* ``/`` and the editor's own sections (``/flows/…``, ``/profiles/…``, see
  :data:`~cairn.plugins.editor.routes.CLIENT_SECTIONS`): ``index.html``, so that a
  reload on any screen works; top-level files of the build (``/favicon.svg``).

Nothing else matches, so ``/graphql``, ``/track``, ``/v1/*``, ``/health``,
``/tracker.js`` and ``/widgets/*`` are never shadowed, whatever the plugin order.
``CAIRN_EDITOR_DIST`` points at another build folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.core.plugin_manager import hookimpl

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from cairn.core.runtime import Cairn


@hookimpl(trylast=True)
def register_routes(cairn: Cairn) -> list[BaseRoute]:
    """The editor's assets and pages (after every other plugin's routes)."""
    from cairn.plugins.editor.routes import dist_folder, editor_routes

    return editor_routes(dist_folder())
