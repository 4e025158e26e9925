"""Show widget: an instruction for the page that sent the event."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cairn.core.nodes import Output, run_node
from cairn.plugins.nodes.widget import ShowWidget


async def test_the_widget_instruction_goes_to_ctx_ux_with_its_texts_rendered() -> None:
    config = {"widget": "cairn.toast",
              "config": {"title": "Welcome back, {{ profile.traits.first_name | default('friend') }}!",
                         "duration_ms": 8000, "lines": [{"text": "New {{ event.properties.category }} in stock"}]}}
    result, ctx = await run_node(ShowWidget, config, payload="kept",
                                 event={"type": "page", "context": {}, "properties": {"category": "tents"}},
                                 profile={"id": "p1", "traits": {"first_name": "Ada"}})

    assert result == Output("out", "kept")
    assert ctx.ux == [{"type": "widget", "widget": "cairn.toast",
                       "config": {"title": "Welcome back, Ada!", "duration_ms": 8000,
                                  "lines": [{"text": "New tents in stock"}]}}]


async def test_a_widget_without_settings_is_fine() -> None:
    _, ctx = await run_node(ShowWidget, {"widget": "cairn.rating"})
    assert ctx.ux == [{"type": "widget", "widget": "cairn.rating", "config": {}}]


async def test_a_failing_template_follows_error_and_shows_nothing() -> None:
    result, ctx = await run_node(ShowWidget, {"widget": "cairn.toast", "config": {"title": "{{ ''.__class__ }}"}})

    assert isinstance(result, Output) and result.port == "error"
    assert result.payload["widget"] == "cairn.toast"
    assert ctx.ux == []


def test_a_broken_template_in_the_settings_is_refused_when_saved() -> None:
    with pytest.raises(ValidationError, match="template syntax error"):
        ShowWidget.Config.model_validate({"widget": "cairn.toast", "config": {"nested": ["{{ oops"]}})
