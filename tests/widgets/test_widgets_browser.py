"""The built-in widgets in real Chromium: mounted in a shadow root, answers sent back as events."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from playwright.async_api import Page, Route

from cairn.core.config import Settings
from cairn.core.models.source import EventSource
from cairn.core.plugin_manager import hookimpl
from cairn.core.widgets import Widget, render_widget
from cairn.plugins.widgets.toast import Toast
from tests.support.browser import (
    Site,
    all_delivered,
    cairn_for_browser,
    html_page,
    snippet,
    stored_events,
    tracker_info,
)
from tests.support.server import RunningServer

CONSENT = {"consent_types": [{"id": "analytics", "label": "Statistics"},
                             {"id": "marketing-email", "label": "Offers by e-mail"},
                             {"id": "necessary", "label": "Running the shop", "required": True}]}


@pytest.fixture
async def tracked(page: Page, web: RunningServer, site: Site, source: EventSource) -> Page:
    """A page of the website with the tracker loaded (no automatic page view)."""
    site.pages["/"] = html_page(snippet(web.url, source.write_key, pageViews=False, flushDelay=0),
                                "<h1>Shop</h1><a id='sale' href='/sale'>sale</a>")
    site.pages["/sale"] = html_page(body="<h1>Sale</h1>")
    await page.goto(site.url("/"))
    await tracker_info(page)
    return page


async def show(page: Page, widget: str, config: dict[str, Any]) -> None:
    """Ask the tracker to show ``widget`` (rendered by Cairn) and wait until it is mounted."""
    await page.evaluate("([widget, config]) => cairn.show(widget, config).then(() => true)", [widget, config])


def widget(page: Page, widget_id: str, selector: str = "") -> Any:
    """A locator inside the widget's shadow root (Playwright's CSS pierces open shadow roots)."""
    return page.locator(f"cairn-widget[data-widget='{widget_id}'] {selector}".strip())


async def test_accept_all_grants_every_consent_type(tracked: Page, web: RunningServer) -> None:
    await show(tracked, "cairn.consent", CONSENT)
    host_has_shadow = await tracked.evaluate(
        "() => document.querySelector('cairn-widget').shadowRoot.querySelector('[data-action=accept]') !== null")

    await widget(tracked, "cairn.consent", "[data-action=accept]").click()
    events = await stored_events(web, count=3, type="consent-granted")

    assert host_has_shadow
    assert await tracked.evaluate("() => document.querySelector('[data-action=accept]')") is None
    assert [e["properties"] for e in events] == [
        {"consentType": t, "source": "consent-banner"} for t in ("analytics", "marketing-email", "necessary")]
    assert await widget(tracked, "cairn.consent").count() == 0


async def test_reject_all_revokes_all_but_the_required_types(tracked: Page, web: RunningServer) -> None:
    await show(tracked, "cairn.consent", CONSENT)

    await widget(tracked, "cairn.consent", "[data-action=reject]").click()
    await all_delivered(tracked)

    revoked = await stored_events(web, count=2, type="consent-revoked")
    granted = await stored_events(web, type="consent-granted")
    assert [e["properties"]["consentType"] for e in revoked] == ["analytics", "marketing-email"]
    assert [e["properties"]["consentType"] for e in granted] == ["necessary"]


async def test_choices_per_type_are_sent_as_chosen_and_recorded_on_the_profile(
        tracked: Page, web: RunningServer) -> None:
    await show(tracked, "cairn.consent", CONSENT)

    await widget(tracked, "cairn.consent", "[data-action=customize]").click()
    required = widget(tracked, "cairn.consent", "input[value=necessary]")
    await widget(tracked, "cairn.consent", "input[value=marketing-email]").check()
    await widget(tracked, "cairn.consent", "[data-action=save]").click()
    await all_delivered(tracked)
    [revoked] = await stored_events(web, type="consent-revoked")
    profile = await web.cairn.pipeline.repository.get(revoked["profile_id"])

    assert await required.count() == 0  # the widget is gone
    assert revoked["properties"]["consentType"] == "analytics"
    assert profile is not None
    assert profile["consents"]["marketing-email"]["granted"] is True
    assert profile["consents"]["analytics"]["granted"] is False


async def test_the_banner_switches_the_trackers_consent(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    site.pages["/"] = html_page(snippet(web.url, source.write_key, consent="pending", flushDelay=0))
    await page.goto(site.url("/"))
    await tracker_info(page)
    await show(page, "cairn.consent", {**CONSENT, "tracking_consent_type": "analytics"})

    await widget(page, "cairn.consent", "[data-action=accept]").click()
    await all_delivered(page)

    assert (await tracker_info(page))["consent"] == "granted"
    assert await stored_events(web, type="page-view")


async def test_four_stars_and_a_comment_are_sent_as_a_rating(tracked: Page, web: RunningServer) -> None:
    await show(tracked, "cairn.rating", {"title": "How was your order?", "rating_id": "post-purchase"})
    stars = widget(tracked, "cairn.rating", ".star")

    await stars.nth(3).click()
    lit = await stars.evaluate_all("(stars) => stars.map((star) => star.classList.contains('on'))")
    await widget(tracked, "cairn.rating", ".comment").fill("Lovely tent, quick delivery")
    await widget(tracked, "cairn.rating", "[data-action=submit]").click()
    [event] = await stored_events(web, type="rating-submitted")

    assert lit == [True, True, True, True, False]
    assert event["properties"] == {"score": 4, "scale": "stars", "comment": "Lovely tent, quick delivery",
                                   "ratingId": "post-purchase"}
    await widget(tracked, "cairn.rating", ".cairn-thanks").wait_for(state="visible")


async def test_an_nps_score_without_comment_box_is_sent_on_click(tracked: Page, web: RunningServer) -> None:
    await show(tracked, "cairn.rating", {"scale": "nps", "ask_comment": False})

    await widget(tracked, "cairn.rating", "[data-score='9']").click()
    [event] = await stored_events(web, type="rating-submitted")

    assert event["properties"] == {"score": 9, "scale": "nps", "comment": None}


async def test_closing_a_widget_says_so(tracked: Page, web: RunningServer) -> None:
    await show(tracked, "cairn.rating", {})

    await widget(tracked, "cairn.rating", "[data-action=close]").click()
    [event] = await stored_events(web, type="widget-dismissed")

    assert event["properties"] == {"widget": "cairn.rating"}
    assert await widget(tracked, "cairn.rating").count() == 0


async def test_a_multiple_choice_question_sends_the_choice(tracked: Page, web: RunningServer) -> None:
    await show(tracked, "cairn.question", {"question_id": "found-us", "question": "How did you find us?",
                                           "choices": ["Search engine", "A friend"]})

    await widget(tracked, "cairn.question").get_by_role("button", name="A friend").click()
    [event] = await stored_events(web, type="question-answered")

    assert event["properties"] == {"questionId": "found-us", "answer": "A friend"}


async def test_a_free_text_question_sends_the_text(tracked: Page, web: RunningServer) -> None:
    await show(tracked, "cairn.question", {"question_id": "missing", "question": "What did you miss?",
                                           "kind": "text"})
    send = widget(tracked, "cairn.question", "[data-action=submit]")

    assert await send.is_disabled()
    await widget(tracked, "cairn.question", ".text").fill("  A blue tent  ")
    await send.click()
    [event] = await stored_events(web, type="question-answered")

    assert event["properties"] == {"questionId": "missing", "answer": "A blue tent"}


async def test_a_call_to_action_leads_to_its_page_and_the_click_arrives(
        tracked: Page, web: RunningServer, site: Site) -> None:
    await show(tracked, "cairn.cta", {"title": "Spring sale", "text": "20% off tents", "button_label": "See it",
                                      "url": site.url("/sale"), "cta_id": "spring"})

    await widget(tracked, "cairn.cta").get_by_role("link", name="See it").click()
    await tracked.wait_for_url(site.url("/sale"))
    [event] = await stored_events(web, type="cta-clicked")

    assert event["properties"] == {"ctaId": "spring", "url": site.url("/sale")}


async def test_a_toast_goes_away_by_itself(tracked: Page) -> None:
    await show(tracked, "cairn.toast", {"message": "Your order is on its way", "level": "success",
                                        "duration_ms": 1000})

    toast = widget(tracked, "cairn.toast", ".message")
    assert await toast.text_content() == "Your order is on its way"
    await widget(tracked, "cairn.toast").wait_for(state="detached", timeout=3000)


async def test_a_flow_shows_a_widget_on_the_page_that_sent_the_event(
        tracked: Page, web: RunningServer) -> None:
    flows = web.cairn.flows
    flow = await flows.flows.create("help", graph={
        "nodes": [{"id": "start", "type": "cairn.start"},
                  {"id": "toast", "type": "cairn.show_widget",
                   "config": {"widget": "cairn.toast", "config": {"message": "Hello {{ event.properties.name }}"}}}],
        "edges": [{"from_node": "start", "to_node": "toast"}]})
    assert (await flows.deploy(flow.id)).version is not None
    await flows.create_rule({"event_type": "help-needed", "flow_id": flow.id})

    await tracked.evaluate("() => cairn.track('help-needed', {name: '<Ada>'})")

    await widget(tracked, "cairn.toast", ".message").wait_for()
    assert await widget(tracked, "cairn.toast", ".message").text_content() == "Hello <Ada>"


async def test_a_widget_rendered_by_the_server_is_mounted_without_another_request(
        tracked: Page, web: RunningServer) -> None:
    rendered = render_widget(Toast, {"message": "Rendered by Cairn"}).instruction()
    renders: list[str] = []
    tracked.on("request", lambda request: renders.append(request.url) if "/render" in request.url else None)

    async def with_html(route: Route) -> None:
        response = await route.fetch()
        reply = await response.json()
        reply["ux"] = [rendered]
        await route.fulfill(response=response, body=orjson.dumps(reply))

    await tracked.route(f"{web.url}/track", with_html)
    await tracked.evaluate("() => cairn.track('anything', {})")

    await widget(tracked, "cairn.toast", ".message").wait_for()
    assert renders == []


HOSTILE_CSS = """<style>
  * { font-size: 0 !important; line-height: 0 !important; color: transparent !important;
      background: transparent !important; letter-spacing: -10px !important; }
  body * { display: none !important; visibility: hidden !important; opacity: 0 !important;
           pointer-events: none !important; position: static !important; width: 0 !important;
           height: 0 !important; transform: scale(0) !important; z-index: -1 !important;
           filter: blur(40px) !important; clip-path: inset(50%) !important; }
  cairn-widget { display: none !important; all: unset !important; }
  div, button, p { margin: -9999px !important; }
  html, body { overflow: hidden !important; }
</style>"""


async def test_hostile_page_css_cannot_hide_or_break_a_widget(
        page: Page, page_errors: list[str], web: RunningServer, site: Site, source: EventSource) -> None:
    site.pages["/"] = html_page(HOSTILE_CSS + snippet(web.url, source.write_key, pageViews=False, flushDelay=0),
                                "<h1>Hidden page</h1>")
    await page.goto(site.url("/"))
    await tracker_info(page)
    await show(page, "cairn.rating", {"title": "Still here?", "ask_comment": False})
    stars = widget(page, "cairn.rating", ".star")
    title = widget(page, "cairn.rating", ".cairn-title")

    box = await stars.nth(3).bounding_box()
    size = await title.evaluate("(element) => getComputedStyle(element).fontSize")
    assert await stars.nth(3).is_visible()
    assert box is not None and box["width"] > 20 and box["height"] > 20
    assert size == "17px"
    assert not await page.locator("h1").is_visible()
    await stars.nth(3).click()
    [event] = await stored_events(web, type="rating-submitted")

    assert event["properties"]["score"] == 4
    assert page_errors == []


async def test_widget_styles_do_not_leak_into_the_page(tracked: Page) -> None:
    before = await tracked.evaluate("() => getComputedStyle(document.querySelector('h1')).fontSize")
    await show(tracked, "cairn.rating", {})

    after = await tracked.evaluate("() => getComputedStyle(document.querySelector('h1')).fontSize")
    assert before == after
    assert await tracked.evaluate("() => document.querySelectorAll('.cairn-card').length") == 0


class Fragile(Widget):
    id = "acme.fragile"
    name = "Fragile"
    template = '<div class="cairn-card">fragile</div>'
    script = 'function mount(root, config, widget) { throw new Error("broken widget"); }'


class FragilePlugin:
    name = "acme"

    @hookimpl
    def register_widgets(self) -> list[type[Widget]]:
        return [Fragile]


async def test_a_widget_that_throws_is_removed_and_the_page_goes_on(
        page: Page, page_errors: list[str], store_url: str, settings: Settings, site: Site) -> None:
    async with cairn_for_browser(settings, store_url, extra_plugins=(FragilePlugin(),)) as server:
        source = await server.cairn.sources.create("website", allowed_origins=[site.origin])
        site.pages["/"] = html_page(snippet(server.url, source.write_key, pageViews=False), "<h1>Shop</h1>")
        await page.goto(site.url("/"))
        await tracker_info(page)

        outcome = await page.evaluate("() => cairn.show('acme.fragile', {}).then(() => 'shown', String)")

    assert outcome == "Error: broken widget"
    assert await page.locator("cairn-widget").count() == 0
    assert page_errors == []
    assert await page.text_content("h1") == "Shop"
