"""The demo end to end in Chromium: consent, browsing, a purchase, a rating, its sentiment."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Page

from cairn.core.config import Settings
from cairn.core.demo import FLOWS, Demo, prepare, run_demo
from tests.support.browser import all_delivered, tracker_info

PROFILE = """query($id: ID!) { profile(id: $id) {
    consents traits stats { events }
    events(first: 50) { edges { node { type properties } } } } }"""


@pytest.fixture
async def demo(store_url: str, settings: Settings) -> AsyncIterator[Demo]:
    async with run_demo(settings, mongo_url=store_url, port=0, site_port=0) as running:
        yield running


async def graphql(demo: Demo, query: str, **variables: Any) -> dict[str, Any]:
    token = await demo.cairn.tokens.create()
    async with httpx.AsyncClient(base_url=demo.cairn_url) as http:
        response = await http.post("/graphql", json={"query": query, "variables": variables},
                                   headers={"Authorization": f"Bearer {token}"})
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]  # type: ignore[no-any-return]


def banner(page: Page, selector: str = "") -> Any:
    return page.locator(f"cairn-widget[data-widget='cairn.consent'] {selector}".strip())


def rating(page: Page, selector: str = "") -> Any:
    return page.locator(f"cairn-widget[data-widget='cairn.rating'] {selector}".strip())


async def test_consent_browsing_purchase_and_rating_end_up_on_the_profile(
        page: Page, page_errors: list[str], demo: Demo) -> None:
    await page.goto(demo.site_url)
    await banner(page, "[data-action=accept]").click()
    await all_delivered(page)

    await page.click("header >> text=Products")
    await all_delivered(page)
    assert await banner(page).count() == 0
    await page.click("main >> text=Trail tent")
    await page.click("#buy")
    await rating(page, ".star").nth(3).click()
    await rating(page, ".comment").fill("Great tent and a super fast delivery, I love it!")
    await rating(page, "[data-action=submit]").click()
    await rating(page, ".cairn-thanks").wait_for(state="visible")
    await all_delivered(page)
    profile_id = (await tracker_info(page))["profileId"]

    profile = (await graphql(demo, PROFILE, id=profile_id))["profile"]
    events = [edge["node"] for edge in profile["events"]["edges"]]
    types = [event["type"] for event in events]
    assert profile["consents"]["analytics"]["granted"] is True
    assert profile["consents"]["marketing-email"]["granted"] is True
    assert types.count("page-view") == 3 and types.count("consent-granted") == 2
    assert {"product-viewed", "order-completed", "rating-submitted"} <= set(types)
    [order] = [event for event in events if event["type"] == "order-completed"]
    assert order["properties"]["total"] == 189.0 and order["properties"]["currency"] == "EUR"
    [rated] = [event for event in events if event["type"] == "rating-submitted"]
    assert rated["properties"] == {"score": 4, "scale": "stars", "ratingId": "post-purchase",
                                   "comment": "Great tent and a super fast delivery, I love it!"}
    assert profile["traits"]["last_rating"] == 4
    assert profile["traits"]["sentiment"] == "positive" and profile["traits"]["sentiment_score"] > 0.5
    assert page_errors == []


async def test_a_visitor_who_refuses_is_not_asked_again(page: Page, demo: Demo) -> None:
    await page.goto(demo.site_url)
    await banner(page, "[data-action=reject]").click()
    await all_delivered(page)

    await page.click("header >> text=Products")
    await all_delivered(page)
    await asyncio.sleep(0.3)
    profile_id = (await tracker_info(page))["profileId"]
    profile = (await graphql(demo, PROFILE, id=profile_id))["profile"]

    assert await banner(page).count() == 0
    assert profile["consents"]["analytics"]["granted"] is False


async def test_preparing_the_demo_again_changes_nothing_twice(demo: Demo) -> None:
    again = await prepare(demo.cairn, [demo.site_url])

    assert again.source.id == demo.setup.source.id
    assert {name: flow.id for name, flow in again.flows.items()} == {
        name: flow.id for name, flow in demo.setup.flows.items()}
    assert len(await demo.cairn.sources.list()) == 1
    assert len(await demo.cairn.flows.flows.list()) == len(FLOWS)
    assert len(await demo.cairn.flows.rules.list()) == len(FLOWS)
    assert demo.site_url in again.source.allowed_origins
