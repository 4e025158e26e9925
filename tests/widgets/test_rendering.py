"""Rendering widgets: validated settings, escaped text, the instruction the tracker mounts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

import cairn.plugins.widgets as builtin_widgets
from cairn.core.plugin_manager import create_plugin_manager
from cairn.core.widgets import WidgetConfigInvalid, render_ux, render_widget
from cairn.core.widgets.assets import widget_css
from cairn.plugins.widgets.consent import ConsentBanner
from cairn.plugins.widgets.cta import CallToAction
from cairn.plugins.widgets.question import Question
from cairn.plugins.widgets.rating import Rating
from tests.support.server import RunningServer

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_settings_are_text_in_the_html_never_markup() -> None:
    rendered = render_widget(Rating, {"title": HOSTILE, "comment_placeholder": '" autofocus onfocus="alert(3)'})

    assert "<script>alert" not in rendered.html and "<img" not in rendered.html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in rendered.html
    assert 'placeholder="&#34; autofocus onfocus=&#34;alert(3)"' in rendered.html


def test_the_html_starts_with_the_shared_and_the_widget_styles() -> None:
    rendered = render_widget(ConsentBanner, ConsentBanner.example)

    assert rendered.html.startswith(f"<style>{widget_css()}\n{ConsentBanner.styles}</style>")
    assert ":host {" in widget_css() and "all: initial !important" in widget_css()


def test_the_instruction_carries_the_validated_settings_and_the_script_path() -> None:
    rendered = render_widget(Rating, {"scale": "nps"})

    instruction = rendered.instruction()
    assert instruction["type"] == "widget" and instruction["widget"] == "cairn.rating"
    assert instruction["config"]["scale"] == "nps" and instruction["config"]["ask_comment"] is True
    assert instruction["script"].startswith("/widgets/cairn.rating/script.js?v=")
    assert instruction["html"].count('class="score"') == 11


@pytest.mark.parametrize(("widget", "config", "field", "message"), [
    (Rating, {"scale": "ten"}, "scale", "Input should be 'stars' or 'nps'"),
    (Rating, {"colour": "red"}, "colour", "Extra inputs are not permitted"),
    (CallToAction, {"title": "Hi", "url": "javascript:alert(1)"}, "url", "must be an http:// or https:// address"),
    (Question, {"question_id": "q", "question": "Why?", "choices": ["only one"]}, "config",
     "a choice question needs at least two choices"),
    (ConsentBanner, {"consent_types": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]}, "consent_types",
     "consent type 'a' is listed twice"),
    (ConsentBanner, {"consent_types": []}, "consent_types", "at least 1 item"),
])
def test_settings_the_widget_refuses_are_named_field_by_field(
        widget: Any, config: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(WidgetConfigInvalid) as raised:
        render_widget(widget, config)

    assert any(error["field"] == field and message in error["message"] for error in raised.value.errors), \
        raised.value.errors
    assert "correct them in the widget's settings form" in str(raised.value)


async def test_render_ux_renders_widget_instructions_and_leaves_the_others() -> None:
    plugins = create_plugin_manager(load_entry_points=False, extra_plugins=(builtin_widgets,))
    cairn: Any = SimpleNamespace(plugins=plugins)
    ux = [{"type": "widget", "widget": "cairn.toast", "config": {"message": "Hello <b>Ada</b>"}},
          {"type": "redirect", "url": "/elsewhere"},
          {"type": "widget", "widget": "acme.missing", "config": {}},
          {"type": "widget", "widget": "cairn.toast", "config": {"message": ""}}]

    toast, other, missing, invalid = await render_ux(cairn, ux)

    assert "Hello &lt;b&gt;Ada&lt;/b&gt;" in toast["html"] and toast["script"].startswith("/widgets/cairn.toast/")
    assert other == {"type": "redirect", "url": "/elsewhere"}
    assert "no installed plugin declares widget 'acme.missing'" in missing["error"]
    assert "message" in invalid["error"] and "html" not in invalid


@pytest.fixture
async def http(web: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=web.url) as client:
        yield client


async def test_the_render_endpoint_takes_settings_by_body_or_query(http: httpx.AsyncClient) -> None:
    by_body = await http.post("/widgets/cairn.toast/render", content='{"config": {"message": "Saved"}}',
                              headers={"Content-Type": "text/plain", "Origin": "https://any.example"})
    by_query = await http.get("/widgets/cairn.toast/render", params={"config": '{"message": "Saved"}'})

    assert by_body.status_code == 200 and by_query.status_code == 200
    assert by_body.json() == by_query.json()
    assert by_body.json()["config"] == {"message": "Saved", "title": "", "level": "info", "duration_ms": 5000}
    assert by_body.headers["access-control-allow-origin"] == "*"
    assert by_body.headers["cache-control"] == "no-store"
    assert by_query.headers["cache-control"] == "public, max-age=60"


async def test_the_render_endpoint_says_what_is_wrong(http: httpx.AsyncClient) -> None:
    unknown = await http.post("/widgets/acme.nothing/render", json={"config": {}})
    invalid = await http.post("/widgets/cairn.toast/render", json={"config": {"message": "x", "level": "loud"}})
    malformed = await http.post("/widgets/cairn.toast/render", content="{oops")
    not_object = await http.post("/widgets/cairn.toast/render", json={"config": [1]})
    too_large = await http.post("/widgets/cairn.toast/render", content="x" * 70_000)
    preflight = await http.options("/widgets/cairn.toast/render", headers={
        "Origin": "https://any.example", "Access-Control-Request-Method": "POST"})

    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_widget"
    assert invalid.status_code == 400 and invalid.json()["error"]["errors"][0]["field"] == "level"
    assert malformed.status_code == 400 and malformed.json()["error"]["code"] == "malformed_json"
    assert not_object.status_code == 400 and not_object.json()["error"]["code"] == "not_an_object"
    assert too_large.status_code == 413
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == "*"
