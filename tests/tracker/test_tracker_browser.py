"""The website tracker in real Chromium: ids, sessions, page views, custom events, batching."""

from __future__ import annotations

from playwright.async_api import Page, Request

from cairn.core.models.source import EventSource
from tests.support.browser import Site, all_delivered, html_page, snippet, stored_events, tracker_info
from tests.support.server import RunningServer


def _track_requests(page: Page, web: RunningServer) -> list[Request]:
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request) if request.url == f"{web.url}/track" else None)
    return sent


async def test_a_page_view_is_sent_on_load_and_the_ids_are_kept_across_pages(
        page: Page, page_errors: list[str], web: RunningServer, site: Site, source: EventSource) -> None:
    site.pages["/"] = html_page(snippet(web.url, source.write_key), "<a id='next' href='/next'>next</a>", "Home")
    site.pages["/next"] = html_page(snippet(web.url, source.write_key), "<p>second page</p>", "Next")

    await page.goto(site.url("/"))
    [first] = await stored_events(web, type="page-view")
    await page.wait_for_function("() => window.cairn.info().profileId !== null")
    info = await tracker_info(page)
    await page.click("#next")
    events = await stored_events(web, count=2, type="page-view")

    assert first["properties"]["path"] == "/" and first["properties"]["title"] == "Home"
    assert first["context"]["page"]["url"] == site.url("/")
    assert first["context"]["library"]["name"] == "cairn-tracker"
    assert first["anonymous_id"] == info["anonymousId"]
    assert first["session_id"] == info["sessionId"]
    assert first["profile_id"] == info["profileId"]
    second = events[1]
    assert second["properties"]["path"] == "/next"
    assert (second["anonymous_id"], second["session_id"], second["profile_id"]) == (
        first["anonymous_id"], first["session_id"], first["profile_id"])
    assert page_errors == []


async def test_custom_events_and_identify_reach_the_profile(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    site.pages["/"] = html_page(snippet(web.url, source.write_key, pageViews=False))

    await page.goto(site.url("/"))
    await tracker_info(page)
    await page.evaluate("""() => {
        cairn.track("signup-started", {plan: "pro"});
        cairn.identify("user-42", {email: "ada@example.com", first_name: "Ada"});
        cairn.track("signup-completed", {plan: "pro"});
    }""")
    await all_delivered(page)
    [completed] = await stored_events(web, type="signup-completed")
    profile = await web.cairn.pipeline.repository.get(completed["profile_id"])

    assert completed["properties"] == {"plan": "pro"}
    assert completed["user_id"] == "user-42"
    assert profile is not None
    assert profile["traits"]["first_name"] == "Ada"
    assert "user-42" in profile["user_ids"]


async def test_events_sent_close_together_go_in_one_request(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    site.pages["/"] = html_page(snippet(web.url, source.write_key, pageViews=False, flushDelay=300))
    await page.goto(site.url("/"))
    await tracker_info(page)
    sent = _track_requests(page, web)

    await page.evaluate("() => { for (let i = 0; i < 5; i++) cairn.track('clicked', {n: i}); }")
    events = await stored_events(web, count=5, type="clicked")

    assert [event["properties"]["n"] for event in events] == [0, 1, 2, 3, 4]
    assert len(sent) == 1
    assert len(sent[0].post_data_json["events"]) == 5


async def test_a_failed_request_is_retried_and_nothing_is_stored_twice(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    site.pages["/"] = html_page(snippet(web.url, source.write_key, pageViews=False, flushDelay=0))
    failures = []

    async def fail_once(route):  # type: ignore[no-untyped-def]
        if not failures:
            failures.append(route.request.url)
            await route.abort("connectionrefused")
        else:
            await route.continue_()

    await page.route(f"{web.url}/track", fail_once)
    await page.goto(site.url("/"))
    await tracker_info(page)
    await page.evaluate("() => cairn.track('retried', {})")
    [event] = await stored_events(web, type="retried", timeout=15)

    await page.wait_for_function("() => cairn.info().queued === 0")

    assert failures
    assert (await tracker_info(page))["failures"] == 0
    assert len(await stored_events(web, type="retried")) == 1


async def test_events_left_at_unload_go_with_send_beacon(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    site.pages["/"] = html_page(snippet(web.url, source.write_key, pageViews=False, flushDelay=60_000),
                                "<a id='away' href='/away'>away</a>")
    site.pages["/away"] = html_page(body="<p>gone</p>")
    await page.add_init_script("""{
        const send = navigator.sendBeacon.bind(navigator);
        navigator.sendBeacon = (url, data) => {
            sessionStorage.setItem("beacons", JSON.stringify([...JSON.parse(sessionStorage.getItem("beacons") || "[]"), url]));
            return send(url, data);
        };
    }""")
    await page.goto(site.url("/"))
    await tracker_info(page)

    await page.evaluate("() => { cairn.track('read-article', {id: 1}); cairn.track('read-article', {id: 2}); }")
    assert (await tracker_info(page))["queued"] == 2
    await page.click("#away")
    events = await stored_events(web, count=2, type="read-article")

    assert sorted(event["properties"]["id"] for event in events) == [1, 2]
    assert await page.evaluate("() => JSON.parse(sessionStorage.getItem('beacons'))") == [f"{web.url}/track"]


async def test_a_visit_ends_after_thirty_minutes_without_activity(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    site.pages["/"] = html_page(snippet(web.url, source.write_key))
    await page.goto(site.url("/"))
    first = await tracker_info(page)
    await stored_events(web, type="page-view")

    await page.evaluate("""() => {
        const session = JSON.parse(localStorage.getItem("cairn.session"));
        session.lastActivity -= 31 * 60 * 1000;
        localStorage.setItem("cairn.session", JSON.stringify(session));
    }""")
    await page.reload()
    events = await stored_events(web, count=2, type="page-view")

    assert events[1]["session_id"] != first["sessionId"]
    assert events[1]["anonymous_id"] == first["anonymousId"]


async def test_without_local_storage_the_ids_live_in_first_party_cookies(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    await page.add_init_script("""Object.defineProperty(window, "localStorage", {
        get() { throw new DOMException("blocked", "SecurityError"); }});""")
    site.pages["/"] = html_page(snippet(web.url, source.write_key))

    await page.goto(site.url("/"))
    [event] = await stored_events(web, type="page-view")
    cookies = {cookie["name"]: cookie for cookie in await page.context.cookies(site.url("/"))}

    assert "cairn.anonymousId" in cookies
    assert event["anonymous_id"] in cookies["cairn.anonymousId"]["value"]
    assert cookies["cairn.anonymousId"]["sameSite"] == "Lax"
