"""Cairn's built-in widgets and the routes websites load them from, as a plugin.

Widgets: consent banner (``cairn.consent``), satisfaction rating (``cairn.rating``),
question pop-up (``cairn.question``), call-to-action pop-up (``cairn.cta``) and
notification toast (``cairn.toast``). Each widget's template, styles and script are
files in ``assets/``. Routes: ``/tracker.js`` and ``/widgets/…`` (see
:mod:`cairn.plugins.widgets.routes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.core.plugin_manager import hookimpl
from cairn.core.widgets import Widget, widgets_of
from cairn.plugins.widgets.consent import ConsentBanner
from cairn.plugins.widgets.cta import CallToAction
from cairn.plugins.widgets.question import Question
from cairn.plugins.widgets.rating import Rating
from cairn.plugins.widgets.routes import routes
from cairn.plugins.widgets.toast import Toast

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from cairn.core.runtime import Cairn

BUILTIN_WIDGETS: tuple[type[Widget], ...] = (ConsentBanner, Rating, Question, CallToAction, Toast)
"""Every built-in widget, in catalogue order."""


@hookimpl
def register_widgets() -> list[type[Widget]]:
    """Return the built-in widgets."""
    return list(BUILTIN_WIDGETS)


@hookimpl
def register_routes(cairn: Cairn) -> list[BaseRoute]:
    """Serve ``/tracker.js``, widget scripts and widget rendering."""
    return routes()


@hookimpl
async def on_startup(cairn: Cairn) -> None:
    """Build the widget registry now, so a broken widget plugin shows at start-up."""
    await widgets_of(cairn)


__all__ = ["BUILTIN_WIDGETS", "register_routes", "register_widgets"]
