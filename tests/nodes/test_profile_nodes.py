"""Set trait, counters, interests and tags: changes recorded as operations on the profile."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from cairn.core.nodes import Output, run_node
from cairn.core.profiles.changes import AddToList, Increment, RemoveFromList, SetField, SetIfMissing, Unset
from cairn.plugins.nodes.profile import (
    AddInterest,
    AddTag,
    DecrementCounter,
    IncrementCounter,
    RemoveInterest,
    RemoveTag,
    SetTrait,
)

SIGNUP = {"type": "signed-up", "context": {},
          "properties": {"email": "ada@example.com", "plan": "pro", "items": [{"sku": "A-1"}, {"sku": "B-2"}]}}
ADA = {"id": "p1", "traits": {"first_name": "Ada", "plan": "free", "nickname": ""}}


class TestSetTrait:
    async def test_a_literal_value_is_set_as_is(self) -> None:
        result, ctx = await run_node(SetTrait, {"name": "segment", "value": {"tier": 2, "tags": ["a"]}},
                                     profile=dict(ADA), payload="kept")
        assert result == Output("out", "kept")
        assert ctx.profile.traits["segment"] == {"tier": 2, "tags": ["a"]}
        assert ctx.profile.changes == [SetField(("traits", "segment"), {"tier": 2, "tags": ["a"]})]

    async def test_a_template_is_rendered_with_the_event_and_profile(self) -> None:
        config = {"name": "greeting", "mode": "template",
                  "template": "Hi {{ profile.traits.first_name }}, welcome to {{ event.properties.plan | upper }}"}
        _, ctx = await run_node(SetTrait, config, event=SIGNUP, profile=dict(ADA))
        assert ctx.profile.traits["greeting"] == "Hi Ada, welcome to PRO"

    @pytest.mark.parametrize(("path", "expected"), [
        ("properties.email", "ada@example.com"),
        ("properties.items.1.sku", "B-2"),
        ("properties.items.-1.sku", "B-2"),
        ("properties.items", [{"sku": "A-1"}, {"sku": "B-2"}]),
    ])
    async def test_a_value_is_copied_from_an_event_path(self, path: str, expected: Any) -> None:
        _, ctx = await run_node(SetTrait, {"name": "copied", "mode": "event_path", "event_path": path},
                                event=SIGNUP, profile=dict(ADA))
        assert ctx.profile.traits["copied"] == expected

    async def test_a_missing_event_path_follows_error_and_changes_nothing(self) -> None:
        result, ctx = await run_node(SetTrait, {"name": "phone", "mode": "event_path",
                                                "event_path": "properties.phone"}, event=SIGNUP)
        assert result == Output("error", {"error": "the event has no 'properties.phone'", "trait": "phone"})
        assert ctx.profile.changes == []

    async def test_only_if_empty_keeps_an_existing_value_but_fills_an_empty_one(self) -> None:
        _, ctx = await run_node(SetTrait, {"name": "plan", "value": "pro", "only_if_empty": True},
                                profile=dict(ADA, traits=dict(ADA["traits"])))
        assert ctx.profile.traits["plan"] == "free"
        assert ctx.profile.changes == [SetIfMissing(("traits", "plan"), "pro")]
        _, ctx = await run_node(SetTrait, {"name": "nickname", "value": "Countess", "only_if_empty": True},
                                profile=dict(ADA, traits=dict(ADA["traits"])))
        assert ctx.profile.traits["nickname"] == "Countess"

    async def test_a_failing_template_follows_error(self) -> None:
        result, _ = await run_node(SetTrait, {"name": "x", "mode": "template", "template": "{{ 1 / 0 }}"})
        assert isinstance(result, Output) and result.port == "error"
        assert result.payload["error"].startswith("ZeroDivisionError")

    @pytest.mark.parametrize(("config", "problem"), [
        ({"name": "x", "mode": "template"}, "mode 'template' needs a 'template'"),
        ({"name": "x", "mode": "template", "template": "{{ oops"}, "template syntax error on line 1"),
        ({"name": "x", "mode": "event_path"}, "mode 'event_path' needs an 'event_path'"),
        ({"name": "x", "mode": "event_path", "event_path": "properties..email"}, "has an empty step"),
        ({"name": "  ", "value": 1}, "the name is empty"),
        ({"name": "x", "mode": "guess"}, "Input should be 'value', 'template' or 'event_path'"),
        ({"name": "x", "colour": "red"}, "Extra inputs are not permitted"),
    ])
    def test_an_incomplete_config_is_refused_when_the_flow_is_saved(self, config: dict[str, Any],
                                                                   problem: str) -> None:
        with pytest.raises(ValidationError, match=problem):
            SetTrait.Config.model_validate(config)

    async def test_a_literal_mapping_is_copied_so_the_config_stays_unchanged(self) -> None:
        config = SetTrait.Config.model_validate({"name": "prefs", "value": {"colours": ["red"]}})
        _, ctx = await run_node(SetTrait, config.model_dump())
        ctx.profile.traits["prefs"]["colours"].append("blue")
        assert config.value == {"colours": ["red"]}


class TestCounters:
    async def test_increment_adds_to_a_nested_trait_as_an_operation(self) -> None:
        result, ctx = await run_node(IncrementCounter, {"trait": "loyalty.points", "amount": 10},
                                     profile={"id": "p1", "traits": {"loyalty": {"points": 5}}}, payload="kept")
        assert result == Output("out", "kept")
        assert ctx.profile.traits["loyalty"]["points"] == 15
        assert ctx.profile.changes == [Increment(("traits", "loyalty", "points"), 10)]

    async def test_a_missing_counter_starts_from_zero_and_counts_in_whole_numbers(self) -> None:
        _, ctx = await run_node(IncrementCounter, {"trait": "orders"})
        assert ctx.profile.traits["orders"] == 1
        assert isinstance(ctx.profile.traits["orders"], int)

    async def test_decrement_takes_away(self) -> None:
        _, ctx = await run_node(DecrementCounter, {"trait": "credits", "amount": 2.5},
                                profile={"id": "p1", "traits": {"credits": 10}})
        assert ctx.profile.traits["credits"] == 7.5
        assert ctx.profile.changes == [Increment(("traits", "credits"), -2.5)]

    @pytest.mark.parametrize("amount", [0, -1])
    def test_the_amount_is_positive_the_node_says_the_direction(self, amount: int) -> None:
        with pytest.raises(ValidationError):
            IncrementCounter.Config.model_validate({"trait": "orders", "amount": amount})


class TestInterests:
    async def test_add_interest_strengthens_it_by_its_weight(self) -> None:
        _, ctx = await run_node(AddInterest, {"interest": "running", "weight": 0.5},
                                profile={"id": "p1", "traits": {}, "interests": {"running": 2}})
        assert ctx.profile.data["interests"] == {"running": 2.5}
        assert ctx.profile.changes == [Increment(("interests", "running"), 0.5)]

    async def test_remove_interest_without_weight_forgets_it(self) -> None:
        _, ctx = await run_node(RemoveInterest, {"interest": "running"},
                                profile={"id": "p1", "traits": {}, "interests": {"running": 2, "yoga": 1}})
        assert ctx.profile.data["interests"] == {"yoga": 1}
        assert ctx.profile.changes == [Unset(("interests", "running"))]

    async def test_remove_interest_with_a_weight_weakens_it(self) -> None:
        _, ctx = await run_node(RemoveInterest, {"interest": "running", "weight": 0.5},
                                profile={"id": "p1", "traits": {}, "interests": {"running": 2}})
        assert ctx.profile.data["interests"] == {"running": 1.5}


class TestTags:
    async def test_add_tag_keeps_each_tag_once(self) -> None:
        result, ctx = await run_node(AddTag, {"tags": ["vip", " newsletter ", "vip"]},
                                     profile={"id": "p1", "traits": {}, "tags": ["vip"]}, payload="kept")
        assert result == Output("out", "kept")
        assert ctx.profile.data["tags"] == ["vip", "newsletter"]
        assert ctx.profile.changes == [AddToList(("tags",), ("vip", "newsletter"))]

    async def test_remove_tag_ignores_tags_the_profile_does_not_have(self) -> None:
        _, ctx = await run_node(RemoveTag, {"tags": ["vip", "unknown"]},
                                profile={"id": "p1", "traits": {}, "tags": ["vip", "newsletter"]})
        assert ctx.profile.data["tags"] == ["newsletter"]
        assert ctx.profile.changes == [RemoveFromList(("tags",), ("vip", "unknown"))]

    def test_at_least_one_non_blank_tag_is_needed(self) -> None:
        with pytest.raises(ValidationError):
            AddTag.Config.model_validate({"tags": []})
        with pytest.raises(ValidationError, match="the name is empty"):
            AddTag.Config.model_validate({"tags": [" "]})
