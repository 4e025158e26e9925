"""Driving the editor in a browser: log in, create a flow, drop and connect nodes."""

from __future__ import annotations

from playwright.async_api import Locator, Page, expect

from tests.support.server import RunningServer

WIDE = {"width": 1600, "height": 900}


def node(page: Page, node_id: str) -> Locator:
    """The canvas node with this id."""
    return page.locator(f'.react-flow__node[data-id="{node_id}"]')


async def log_in(page: Page, server: RunningServer) -> None:
    """Open the editor and log in with a fresh admin token."""
    token = await server.cairn.tokens.create()
    await page.goto(f"{server.url}/")
    await page.get_by_label("Admin token").fill(token)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


async def new_flow(page: Page, name: str) -> None:
    """Create a flow from the Flows screen; the editor opens."""
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Flows").click()
    await page.get_by_label("Flow name").fill(name)
    await page.get_by_role("button", name="Create flow").click()
    await expect(page.locator(".flow-title")).to_have_text(name)


async def drop(page: Page, node_type: str, x: float, y: float) -> None:
    """Drag a node type from the palette onto the canvas at (x, y) of the canvas."""
    source = page.locator(f'.palette-item[data-node-type="{node_type}"] .palette-row')
    await source.drag_to(page.locator(".react-flow__pane"), target_position={"x": x, "y": y})


async def connect(page: Page, from_node: str, port: str, to_node: str) -> None:
    """Drag from an output port's handle to another node's input handle."""
    start = await node(page, from_node).locator(f'.react-flow__handle.source[data-handleid="{port}"]').bounding_box()
    end = await node(page, to_node).locator(".react-flow__handle.target").bounding_box()
    assert start and end
    await page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    await page.mouse.down()
    await page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    await page.mouse.up()
    await expect(page.locator(f'.react-flow__edge[data-id="{from_node}:{port}->{to_node}"]')).to_have_count(1)


async def panel(page: Page, name: str) -> None:
    """Open a tab of the flow editor's side panel."""
    await page.get_by_role("tablist", name="Flow panels").get_by_role("tab", name=name).click()
