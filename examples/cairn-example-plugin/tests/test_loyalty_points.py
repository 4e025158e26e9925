"""The loyalty points node, run on its own with Cairn's ``run_node`` helper."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cairn.core.nodes import Output, run_node
from cairn_example_plugin import LoyaltyPoints, register_node_types


async def test_points_are_the_amount_times_the_rate_rounded_down() -> None:
    result, ctx = await run_node(LoyaltyPoints, {"points_per_unit": 0.1},
                                 event={"type": "order-completed", "properties": {"total": 129.90}},
                                 profile={"id": "p1", "traits": {"loyalty_points": 5}})

    assert result == Output("out", {"points_added": 12, "balance": 17})
    assert ctx.profile.traits["loyalty_points"] == 17


async def test_the_amount_property_and_trait_are_configurable() -> None:
    result, ctx = await run_node(LoyaltyPoints, {"amount_property": "revenue", "trait": "stars"},
                                 event={"type": "order-completed", "properties": {"revenue": "40"}})

    assert result == Output("out", {"points_added": 40, "balance": 40})
    assert ctx.profile.traits["stars"] == 40


@pytest.mark.parametrize("properties", [{}, {"total": "a lot"}, {"total": -3}, {"total": True}])
async def test_an_event_without_a_usable_amount_follows_error(properties: dict[str, object]) -> None:
    result, ctx = await run_node(LoyaltyPoints, event={"type": "order-completed", "properties": properties})

    assert isinstance(result, Output) and result.port == "error"
    assert "properties.total" in result.payload["error"]
    assert ctx.profile.changes == []


def test_a_rate_of_zero_is_refused() -> None:
    with pytest.raises(ValidationError):
        LoyaltyPoints.Config.model_validate({"points_per_unit": 0})


def test_the_plugin_registers_the_node() -> None:
    assert register_node_types() == [LoyaltyPoints]
