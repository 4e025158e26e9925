"""Fixtures of the editor suites: Cairn with the editor plugin, and the shared browser fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Response

import cairn.plugins.editor as editor_plugin
from cairn.core.config import Settings
from cairn.core.plugin_manager import create_plugin_manager
from tests.support.browser import browser, page, page_errors, pytest_runtest_makereport  # noqa: F401
from tests.support.server import RunningServer, serve_cairn


@pytest.fixture
async def editor_server(store_url: str, settings: Settings) -> AsyncIterator[RunningServer]:
    """A Cairn server with the editor plugin registered."""
    plugins = create_plugin_manager(extra_plugins=(editor_plugin,))
    async with serve_cairn(settings, store_url, plugins=plugins) as running:
        yield running


@pytest.fixture
async def editor_client(editor_server: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for ``editor_server``."""
    async with httpx.AsyncClient(base_url=editor_server.url, timeout=30) as http:
        yield http


@pytest.fixture
def graphql_errors(page: Page) -> list[str]:
    """The errors of every GraphQL answer ``page`` received (a test asserts it stays empty).

    Expected failures come back as union members, never as errors, so any error here is a
    document the schema does not accept (a renamed field) or a server fault.
    """
    errors: list[str] = []

    async def collect(response: Response) -> None:
        if not response.url.endswith("/graphql") or response.request.method != "POST":
            return
        try:
            body: Any = await response.json()
        except (PlaywrightError, ValueError):
            return
        query = (response.request.post_data_json or {}).get("query", "")
        errors.extend(f"{error.get('message')} in {' '.join(query.split())[:200]}" for error in body.get("errors") or [])

    page.on("response", collect)
    return errors
