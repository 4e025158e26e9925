"""The tracker when Cairn is unreachable, when consent is pending and when the browser says Do Not Track."""

from __future__ import annotations

import asyncio

from playwright.async_api import Page, Request

from cairn.core.models.source import EventSource
from cairn.core.store.embedded import free_port
from tests.support.browser import Site, all_delivered, html_page, snippet, stored_events, tracker_info
from tests.support.server import RunningServer

BUTTON_PAGE = """<button id="own">Add to basket</button><p id="basket">0</p>
<script>document.getElementById("own").addEventListener("click", () => {
  const basket = document.getElementById("basket");
  basket.textContent = String(Number(basket.textContent) + 1);
  cairn("track", "added-to-basket", {sku: "tent"});
});</script>"""


def _requests_to(page: Page, url: str) -> list[Request]:
    seen: list[Request] = []
    page.on("request", lambda request: seen.append(request) if request.url == url else None)
    return seen


async def test_the_page_keeps_working_when_cairn_cannot_be_reached(
        page: Page, page_errors: list[str], web: RunningServer, site: Site) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    site.pages["/"] = html_page(snippet(closed, "wk_nobody", script_from=web.url, flushDelay=0), BUTTON_PAGE)

    await page.goto(site.url("/"))
    for _ in range(3):
        await page.click("#own")
    await page.wait_for_function("() => cairn.info().failures > 0")
    info = await tracker_info(page)
    stored = await page.evaluate("() => JSON.parse(localStorage.getItem('cairn.queue'))")

    assert await page.text_content("#basket") == "3"
    assert info["queued"] == 4
    assert [event["type"] for event in stored] == ["page-view", *["added-to-basket"] * 3]
    assert page_errors == []


async def test_retries_back_off_however_many_events_come_in(page: Page, web: RunningServer, site: Site) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    site.pages["/"] = html_page(snippet(closed, "wk_nobody", script_from=web.url, flushDelay=0), BUTTON_PAGE)
    attempts = _requests_to(page, f"{closed}/track")

    await page.goto(site.url("/"))
    for _ in range(15):
        await page.click("#own")
        await asyncio.sleep(0.1)

    assert 2 <= len(attempts) <= 3  # at 0 s, after 0.5–1 s, after 1–2 s more
    assert (await tracker_info(page))["queued"] == 16


async def test_the_page_keeps_working_when_even_the_tracker_cannot_be_loaded(
        page: Page, page_errors: list[str], site: Site) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    site.pages["/"] = html_page(snippet(closed, "wk_nobody"), BUTTON_PAGE)

    await page.goto(site.url("/"))
    await page.click("#own")

    assert await page.text_content("#basket") == "1"
    assert len(await page.evaluate("() => window.cairn.q")) == 2
    assert page_errors == []


async def test_events_queued_while_cairn_was_away_are_sent_from_the_next_page(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    site.pages["/"] = html_page(snippet(web.url, source.write_key, flushDelay=0), BUTTON_PAGE)
    await page.route(f"{web.url}/track", lambda route: route.abort("connectionrefused"))
    await page.goto(site.url("/"))
    await page.click("#own")
    await page.wait_for_function("() => cairn.info().failures > 0 && cairn.info().queued === 2")

    await page.unroute(f"{web.url}/track")
    await page.reload()
    await all_delivered(page)

    assert len(await stored_events(web, type="added-to-basket")) == 1
    assert len(await stored_events(web, count=2, type="page-view")) == 2


async def test_with_consent_pending_events_wait_until_granted(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    site.pages["/"] = html_page(snippet(web.url, source.write_key, consent="pending", flushDelay=0), BUTTON_PAGE)
    sent = _requests_to(page, f"{web.url}/track")

    await page.goto(site.url("/"))
    await page.click("#own")
    await asyncio.sleep(0.5)
    assert sent == []
    assert (await tracker_info(page))["queued"] == 2
    assert (await tracker_info(page))["consent"] == "pending"

    await page.evaluate("() => cairn.consent.grant()")
    await all_delivered(page)
    await stored_events(web, type="added-to-basket")
    await page.reload()
    await all_delivered(page)

    assert len(await stored_events(web, count=2, type="page-view")) == 2
    assert (await tracker_info(page))["consent"] == "granted"


async def test_a_refusal_drops_the_waiting_events_but_sends_the_decisions(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    site.pages["/"] = html_page(snippet(web.url, source.write_key, consent="pending", flushDelay=0), BUTTON_PAGE)
    await page.goto(site.url("/"))
    await page.click("#own")

    await page.evaluate("""() => {
        cairn.track("consent-revoked", {consentType: "analytics", source: "own-banner"});
        cairn.consent.deny();
        cairn.track("after-refusal", {});
    }""")
    await all_delivered(page)
    [decision] = await stored_events(web, type="consent-revoked")
    await page.reload()
    await asyncio.sleep(0.5)

    assert decision["properties"]["consentType"] == "analytics"
    assert await web.cairn.database.events.count_documents({"type": {"$ne": "consent-revoked"}}) == 0
    assert (await tracker_info(page))["consent"] == "denied"
    assert (await tracker_info(page))["queued"] == 0


async def test_do_not_track_makes_the_tracker_silent_when_asked_to_respect_it(
        page: Page, page_errors: list[str], web: RunningServer, site: Site, source: EventSource) -> None:
    await page.add_init_script('Object.defineProperty(Navigator.prototype, "doNotTrack", {get: () => "1"});')
    site.pages["/"] = html_page(snippet(web.url, source.write_key, respectDoNotTrack=True, flushDelay=0),
                                BUTTON_PAGE)
    sent = _requests_to(page, f"{web.url}/track")

    await page.goto(site.url("/"))
    await page.click("#own")
    await asyncio.sleep(0.5)
    keys = await page.evaluate("() => Object.keys(localStorage)")

    assert sent == []
    assert keys == []
    assert (await tracker_info(page))["consent"] == "do-not-track"
    assert await page.text_content("#basket") == "1"
    assert page_errors == []


async def test_do_not_track_is_ignored_unless_configured(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    await page.add_init_script('Object.defineProperty(Navigator.prototype, "doNotTrack", {get: () => "1"});')
    site.pages["/"] = html_page(snippet(web.url, source.write_key))

    await page.goto(site.url("/"))

    assert await stored_events(web, type="page-view")
