"""Real headless Chromium for the browser suites, and the servers those tests browse.

- ``browser`` (session): Chromium launched through Playwright's async API from
  ``CAIRN_CHROMIUM`` (default ``/usr/bin/chromium``; Debian's ``apt-get install
  chromium``). Playwright never downloads a browser here.
- ``page``: a fresh browser context (own storage, cookies) and page per test; on
  failure a screenshot goes to ``test-artifacts/<test>.png``.
- ``page_errors``: the uncaught exceptions of ``page`` (a test asserts it stays empty).
- :func:`cairn_for_browser`: Cairn with the widget and consent plugins and the tracking
  CORS middleware, as a website sees it; :func:`serve_pages`: a website of static pages.

- ``web``, ``site``, ``source``: that Cairn, a website, and a source allowing the site.

Use from a suite's ``conftest.py`` by importing the fixtures and the
``pytest_runtest_makereport`` hook (which tells ``page`` whether the test failed).
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Generator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, async_playwright
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from cairn.core.config import Settings
from cairn.core.demo import demo_plugins
from cairn.core.demo.servers import serving
from cairn.core.http.app import create_app
from cairn.core.http.cors import install as install_cors
from cairn.core.models.source import EventSource
from cairn.core.plugin_manager import create_plugin_manager
from cairn.core.store.embedded import free_port
from tests.support.server import RunningServer

CHROMIUM = Path(os.environ.get("CAIRN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 10_000
_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


def _failed(node: pytest.Item) -> bool:
    reports = node.stash.get(_reports, {})
    return any(report.failed for report in reports.values())


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not at {CHROMIUM}: install it (apt-get install chromium) or set CAIRN_CHROMIUM "
                    "to its path", pytrace=False)
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    """A page in a fresh context; screenshot in ``test-artifacts/`` if the test fails."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    opened = await context.new_page()
    try:
        yield opened
    finally:
        if _failed(request.node) and not opened.is_closed():
            ARTIFACTS.mkdir(exist_ok=True)
            safe = "".join(char if char.isalnum() or char in "-_." else "_" for char in request.node.name)
            await opened.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
        await context.close()


@pytest.fixture
def page_errors(page: Page) -> list[str]:
    """Uncaught exceptions thrown in ``page`` (collected from now on)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@asynccontextmanager
async def cairn_for_browser(settings: Settings, store_url: str,
                            extra_plugins: tuple[object, ...] = ()) -> AsyncIterator[RunningServer]:
    """Cairn with the widget, widget GraphQL and consent plugins, and CORS on the tracking endpoints."""
    plugins = demo_plugins(create_plugin_manager(extra_plugins=extra_plugins))
    app = create_app(settings, mongo_url=store_url, plugins=plugins)
    install_cors(app)
    port = free_port()
    async with serving(app, "127.0.0.1", port):
        yield RunningServer(url=f"http://127.0.0.1:{port}", cairn=app.state.cairn)


class Site:
    """A website of static pages on its own port (its origin is known before it serves)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.pages: dict[str, str] = {}

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path``."""
        return f"{self.origin}{path}"

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[Site]:
        """Serve :attr:`pages` (which may still change) for the block."""

        async def show(request: Request) -> Response:
            html = self.pages.get(request.url.path)
            if html is None:
                return HTMLResponse("<h1>Not found</h1>", status_code=404)
            return HTMLResponse(html, headers={"Cache-Control": "no-store"})

        async with serving(Starlette(routes=[Route("/{path:path}", show)]), "127.0.0.1", self.port):
            yield self


@pytest.fixture
async def web(store_url: str, settings: Settings) -> AsyncIterator[RunningServer]:
    """Cairn as a website sees it (:func:`cairn_for_browser`), on the test's own database."""
    async with cairn_for_browser(settings, store_url) as running:
        yield running


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    """A website whose pages the test writes into ``site.pages``."""
    async with Site().serving() as serving:
        yield serving


@pytest.fixture
async def source(web: RunningServer, site: Site) -> EventSource:
    """An enabled source of ``web`` that allows the website's origin."""
    return await web.cairn.sources.create("website", allowed_origins=[site.origin])


def snippet(cairn_url: str, write_key: str, *, script_from: str | None = None, **options: Any) -> str:
    """The two-line tracker snippet a website adds (extra ``init`` options as keyword arguments).

    ``script_from`` loads ``tracker.js`` from another server than the one events go to.
    """
    init = json.dumps({"writeKey": write_key, "url": cairn_url, **options})
    return ('<script>window.cairn=window.cairn||function(){(cairn.q=cairn.q||[]).push(arguments)};'
            f'cairn("init",{init});</script>\n<script async src="{script_from or cairn_url}/tracker.js"></script>')


def html_page(head: str = "", body: str = "", title: str = "Test page") -> str:
    """A small HTML document."""
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>{body}</body></html>"


async def tracker_info(page: Page) -> Mapping[str, Any]:
    """``cairn.info()`` once the tracker has loaded."""
    await page.wait_for_function("() => window.cairn && window.cairn.version && window.cairn.info()")
    return await page.evaluate("() => window.cairn.info()")  # type: ignore[no-any-return]


async def stored_events(server: RunningServer, *, count: int = 1, timeout: float = 10.0,
                        **query: Any) -> list[dict[str, Any]]:
    """The stored events matching ``query`` once there are at least ``count`` (fails after ``timeout`` s)."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while True:
        found = [doc async for doc in server.cairn.database.events.find(query).sort("occurred_at", 1)]
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) >= count, f"expected {count} event(s) matching {query}, found {len(found)}: {found}"
            return found
        await asyncio.sleep(0.05)


async def all_delivered(page: Page) -> None:
    """Wait until the tracker's queue is empty (Cairn answered for every event, flows included)."""
    await page.wait_for_function("() => window.cairn && window.cairn.info && window.cairn.info().queued === 0")
