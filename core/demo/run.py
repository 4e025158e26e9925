"""Running the demo: Cairn and the demo shop, each on its own local port.

:func:`run_demo` starts Cairn (on the embedded store, or ``mongo_url``), prepares
the shop's source, consent types, flows and rules (:mod:`cairn.core.demo.seed`),
then serves the shop. :func:`serve_demo` does the same until interrupted, for
``cairn demo``.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pluggy

from cairn.core.config import Settings
from cairn.core.demo.seed import DemoSetup, prepare
from cairn.core.demo.servers import serving
from cairn.core.demo.shop import shop_app
from cairn.core.http.app import create_app
from cairn.core.http.cors import install as install_cors
from cairn.core.plugin_manager import check_hook_names, create_plugin_manager
from cairn.core.runtime import Cairn
from cairn.core.store.embedded import free_port

DEMO_PLUGINS = ("cairn.core.consents.plugin", "cairn.plugins.widgets", "cairn.graphql.widgets.plugin")
"""Plugin modules the demo needs (registered unless the plugin manager already has them)."""


@dataclass(frozen=True)
class Demo:
    """A running demo: where Cairn and the shop answer, and what was set up."""

    cairn: Cairn
    cairn_url: str
    site_url: str
    setup: DemoSetup

    @property
    def write_key(self) -> str:
        """The shop source's write key."""
        return self.setup.source.write_key


def demo_plugins(manager: pluggy.PluginManager | None = None) -> pluggy.PluginManager:
    """``manager`` (or Cairn's default plugin manager) with the :data:`DEMO_PLUGINS` registered."""
    manager = manager or create_plugin_manager()
    for name in DEMO_PLUGINS:
        module = importlib.import_module(name)
        if not manager.is_registered(module) and not manager.has_plugin(name):
            manager.register(module, name=name)
    check_hook_names(manager)
    return manager


@asynccontextmanager
async def run_demo(settings: Settings | None = None, *, mongo_url: str | None = None, host: str = "127.0.0.1",
                   port: int = 8000, site_port: int = 8001,
                   plugins: pluggy.PluginManager | None = None) -> AsyncIterator[Demo]:
    """Serve Cairn on ``port`` and the demo shop on ``site_port`` (``0``: a free port) for the block."""
    settings = settings or Settings.from_env()
    port, site_port = port or free_port(), site_port or free_port()
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - only for the printed URLs
    cairn_url, site_url = f"http://{shown_host}:{port}", f"http://{shown_host}:{site_port}"
    app = create_app(settings, mongo_url=mongo_url, plugins=demo_plugins(plugins))
    install_cors(app)
    async with serving(app, host, port):
        cairn: Cairn = app.state.cairn
        origins = [site_url, f"http://localhost:{site_port}", f"http://127.0.0.1:{site_port}"]
        setup = await prepare(cairn, list(dict.fromkeys(origins)))
        async with serving(shop_app(cairn_url, setup.source.write_key), host, site_port):
            yield Demo(cairn=cairn, cairn_url=cairn_url, site_url=site_url, setup=setup)


async def serve_demo(settings: Settings | None = None, *, mongo_url: str | None = None, host: str = "127.0.0.1",
                     port: int = 8000, site_port: int = 8001, echo: Callable[[str], None] = print) -> None:
    """Run the demo until cancelled (Ctrl-C), printing where to look."""
    async with run_demo(settings, mongo_url=mongo_url, host=host, port=port, site_port=site_port) as demo:
        token = await demo.cairn.tokens.create("demo")
        echo(f"Demo shop:   {demo.site_url}   (browse, accept or refuse cookies, buy something)\n"
             f"Cairn:       {demo.cairn_url}/graphql   (header  Authorization: Bearer {token})\n"
             f"Write key:   {demo.write_key}\n"
             "Press Ctrl-C to stop.")
        await asyncio.Event().wait()
