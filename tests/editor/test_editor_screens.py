"""Every screen of the editor loads its data from the real schema without an error, with the
optional GraphQL parts (consents, outbox, privacy, widgets) installed."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Page, expect

import cairn.plugins.editor as editor_plugin
from cairn.core.config import Settings
from cairn.core.demo import demo_plugins, prepare
from cairn.core.plugin_manager import create_plugin_manager
from tests.editor.ui import WIDE, log_in
from tests.support.server import RunningServer, serve_cairn

OPTIONAL = ("cairn.graphql.consents.plugin", "cairn.graphql.outbox.plugin", "cairn.graphql.privacy.plugin",
            "cairn.plugins.channels", "cairn.core.segments.plugin", "cairn.graphql.segments.plugin")


@pytest.fixture
async def full_server(store_url: str, settings: Settings) -> AsyncIterator[RunningServer]:
    """Cairn with the editor, the demo's plugins and every optional GraphQL part."""
    extra = (editor_plugin, *(importlib.import_module(name) for name in OPTIONAL))
    plugins = demo_plugins(create_plugin_manager(extra_plugins=extra))
    async with serve_cairn(settings, store_url, plugins=plugins) as running:
        yield running


async def no_errors(page: Page, path: str) -> None:
    """Open ``path`` and wait until it has loaded without showing an error."""
    await page.goto(path)
    await expect(page.locator("main.content")).to_be_visible()
    await expect(page.locator(".loading")).to_have_count(0)
    await expect(page.locator(".error-box")).to_have_count(0)


async def test_every_screen_loads(full_server: RunningServer, page: Page, page_errors: list[str],
                                  graphql_errors: list[str]) -> None:
    setup = await prepare(full_server.cairn, ["http://127.0.0.1:9"])
    async with httpx.AsyncClient(base_url=full_server.url) as http:
        for event in ("page-view", "order-completed", "rating-submitted"):
            response = await http.post("/v1/track", auth=(setup.source.write_key, ""), json={
                "userId": "ann", "event": event, "properties": {"score": 5, "comment": "lovely"}})
            assert response.status_code == 200
    profile_id = (await full_server.cairn.database.events.find_one({}))["profile_id"]
    await page.set_viewport_size(WIDE)
    await log_in(page, full_server)

    nav = page.get_by_role("navigation", name="Main")
    for title in ("Dashboard", "Flows", "Rules", "Profiles", "Segments", "Sources", "Consents", "Deliveries",
                  "Widgets"):
        await expect(nav.get_by_role("link", name=title)).to_be_visible()

    url = full_server.url
    for path in ("/", "/flows", "/rules", "/profiles", "/segments", "/sources", "/consents", "/deliveries", "/widget-settings"):
        await no_errors(page, url + path)

    await no_errors(page, f"{url}/deliveries")
    await page.get_by_role("tab", name="Channels").click()
    await expect(page.locator("section.card").first).to_be_visible()
    await expect(page.locator(".error-box")).to_have_count(0)

    await no_errors(page, f"{url}/profiles/{profile_id}")
    await expect(page.get_by_role("region", name="Event timeline")).to_contain_text("order-completed")
    consents = page.get_by_role("region", name="Consents")
    await expect(consents).to_contain_text("Statistics")
    await consents.locator("li", has_text="Statistics").get_by_role("button", name="Grant").click()
    await expect(consents.locator("li", has_text="Statistics")).to_contain_text("granted")
    await expect(page.get_by_role("button", name="Export data")).to_be_visible()

    await no_errors(page, f"{url}/widget-settings")
    await page.get_by_role("button", name="New widget settings").click()
    await expect(page.get_by_title("Widget preview")).to_be_visible()

    flow = setup.flows["Read the mood of rating comments"]
    await no_errors(page, f"{url}/flows/{flow.id}")
    await expect(page.locator(".toolbar .badge.warn")).to_have_count(0)  # opening changes nothing
    await page.locator('.react-flow__node[data-id="sentiment"]').click()
    await expect(page.locator("#cfg_sentiment_text_path")).to_have_value("properties.comment")
    await expect(page.locator(".toolbar .badge.warn")).to_have_count(0)
    await page.get_by_role("tab", name="Test run").click()
    await page.get_by_label("Stored event").check()
    stored = page.locator("#dry-run-stored")
    await expect(stored.locator("option")).not_to_have_count(1)
    await stored.select_option(index=1)
    await page.get_by_role("button", name="Run test").click()
    await expect(page.get_by_role("region", name="Test run result")).to_contain_text("Run ok")
    assert page_errors == []
    assert graphql_errors == []


async def test_segments_preview_and_save(full_server: RunningServer, page: Page, page_errors: list[str],
                                         graphql_errors: list[str]) -> None:
    await log_in(page, full_server)
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Segments").click()
    await page.get_by_role("button", name="New segment").click()
    await page.get_by_label("Name").fill("Everyone")
    condition = page.get_by_label("Condition", exact=False)
    await condition.fill("profile.traits.plan ==")
    await expect(page.locator(".preview .error")).to_contain_text("Line 1, column")
    await condition.fill('profile.traits.plan == "gold"')
    await expect(page.get_by_test_id("preview-count")).to_have_text("0")
    await page.get_by_role("button", name="Save segment").click()
    await expect(page.locator("table")).to_contain_text("Everyone")
    assert page_errors == []
    assert graphql_errors == []
