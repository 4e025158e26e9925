"""The editor in real headless Chromium against a real Cairn: log in, draw a flow, test it,
deploy it, add a rule, send an event, and see the trace (and the customer it changed).

The pages are the committed build (``frontend/editor/dist``), so no npm is needed here.
"""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Page, expect

from tests.editor.ui import WIDE, connect, drop, log_in, new_flow, node, panel
from tests.support.server import RunningServer


async def test_draw_deploy_and_trace_a_flow(editor_server: RunningServer, page: Page, page_errors: list[str],
                                            graphql_errors: list[str]) -> None:
    source = await editor_server.cairn.sources.create("x")
    await page.set_viewport_size(WIDE)
    await log_in(page, editor_server)
    await new_flow(page, "Big spenders")

    await drop(page, "cairn.start", 40, 180)
    await drop(page, "cairn.condition", 300, 180)
    await drop(page, "cairn.set_trait", 570, 120)
    for node_id in ("start", "condition", "set_trait"):
        await expect(node(page, node_id)).to_be_visible()

    # Saving the unconnected, unconfigured draft shows the server's problems on the nodes.
    await page.get_by_role("button", name="Save draft").click()
    await expect(page.locator(".flow-editor > .notice")).to_contain_text("problem(s) to fix")
    await expect(node(page, "condition").locator(".flow-node-issue").first).to_be_visible()
    await expect(node(page, "set_trait").locator(".flow-node-issue").first).to_be_visible()

    await connect(page, "start", "out", "condition")
    await connect(page, "condition", "true", "set_trait")

    await node(page, "condition").click()
    await panel(page, "Node")
    await page.locator("#cfg_condition_expression").fill("event.properties.total >= 100")
    await node(page, "set_trait").click()
    await expect(page.get_by_text("is required").first).to_be_visible()
    await page.locator("#cfg_set_trait_name").fill("vip")
    await page.locator("#cfg_set_trait_value").fill("yes")
    await expect(node(page, "set_trait").locator(".flow-node-warn")).to_have_count(0)

    # A test run of the draft shows each node's run on the canvas.
    await panel(page, "Test run")
    await page.get_by_role("button", name="Run test").click()
    await expect(page.get_by_role("region", name="Test run result")).to_contain_text("Run ok: 3 step(s)")
    await expect(node(page, "set_trait").locator(".run-badge.ok")).to_be_visible()
    await expect(node(page, "condition").locator(".port.followed")).to_have_text("true")

    await page.get_by_role("button", name="Deploy").click()
    await expect(page.locator(".flow-editor > .notice")).to_have_text("Deployed version 1.")
    await expect(page.locator(".toolbar .badge.ok")).to_have_text("live: v1")

    await panel(page, "Rules")
    await page.get_by_label("Event type (* for any)").fill("Order Completed")
    await page.get_by_role("button", name="Add rule").click()
    await expect(page.locator(".rules-table")).to_contain_text("Order Completed")

    async with httpx.AsyncClient(base_url=editor_server.url) as http:
        response = await http.post("/v1/track", auth=(source.write_key, ""), json={
            "userId": "buyer-1", "event": "Order Completed", "properties": {"total": 150}})
        assert response.status_code == 200, response.text

    await panel(page, "Traces")
    trace = page.locator(".trace-item", has_text="Order Completed")
    await expect(trace).to_be_visible(timeout=15_000)
    await expect(trace).to_contain_text("ok")
    await trace.click()
    await expect(page.locator(".run-banner")).to_contain_text("trace: ok (3 steps)")
    await expect(node(page, "set_trait").locator(".run-badge.ok")).to_be_visible()
    await node(page, "set_trait").click()
    await panel(page, "Node")
    await expect(page.get_by_role("region", name="Step 3")).to_contain_text("Profile changes")
    await expect(page.get_by_role("region", name="Step 3")).to_contain_text("vip")

    # The customer now has the trait.
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Profiles").click()
    await page.get_by_label("Search by").select_option("userId")
    await page.get_by_label("Search value").fill("buyer-1")
    await page.get_by_role("button", name="Search").click()
    await page.get_by_role("link", name="buyer-1").click()
    await expect(page.locator('dd[data-trait="vip"]')).to_have_text("yes")
    await expect(page.get_by_role("region", name="Event timeline")).to_contain_text("Order Completed")
    assert page_errors == []
    assert graphql_errors == []


async def test_delete_undo_redo_and_palette_search(editor_server: RunningServer, page: Page,
                                                    page_errors: list[str], graphql_errors: list[str]) -> None:
    await page.set_viewport_size(WIDE)
    await log_in(page, editor_server)
    await new_flow(page, "Scratch")
    search = page.get_by_label("Search nodes")
    await search.fill("tag")
    await expect(page.locator(".palette-item")).to_have_count(2)
    await search.fill("")
    await drop(page, "cairn.start", 80, 120)
    await drop(page, "cairn.end", 360, 120)
    await connect(page, "start", "out", "end")

    await node(page, "end").click()
    await page.keyboard.press("Delete")
    await expect(node(page, "end")).to_have_count(0)
    await expect(page.locator(".react-flow__edge")).to_have_count(0)
    await page.keyboard.press("Control+z")
    await expect(node(page, "end")).to_have_count(1)
    await expect(page.locator(".react-flow__edge")).to_have_count(1)
    await page.keyboard.press("Control+Shift+z")
    await expect(node(page, "end")).to_have_count(0)
    await page.get_by_role("button", name=re.compile("Undo")).click()
    await expect(node(page, "end")).to_have_count(1)

    await page.get_by_role("button", name="Save draft").click()
    await expect(page.locator(".flow-editor > .notice")).to_have_text("Draft saved.")
    await page.reload()
    await expect(node(page, "end")).to_be_visible()
    await expect(page.locator(".react-flow__edge")).to_have_count(1)
    assert page_errors == []
    assert graphql_errors == []
