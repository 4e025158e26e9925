"""Start, End, Condition and Log: the nodes that shape a run."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cairn.core.nodes import Output, run_node
from cairn.plugins.nodes.condition import ConditionNode
from cairn.plugins.nodes.flow import End, Start
from cairn.plugins.nodes.log import Log

ORDER = {"type": "order-completed", "properties": {"total": 120, "items": [{"sku": "TENT-2"}]}, "context": {}}


async def test_start_passes_the_runs_payload_to_the_first_step() -> None:
    result, _ = await run_node(Start, payload={"total": 120})
    assert result == Output("out", {"total": 120})


async def test_end_follows_nothing() -> None:
    result, _ = await run_node(End, payload={"total": 120})
    assert result is None


@pytest.mark.parametrize(("expression", "port"), [
    ("event.properties.total >= 100", "true"),
    ("event.properties.total < 100", "false"),
    ('"vip" in profile.tags', "true"),
    ("profile.traits.age >= 18", "false"),  # a missing field makes the comparison false, not an error
])
async def test_condition_follows_true_or_false_with_the_payload_unchanged(expression: str, port: str) -> None:
    result, _ = await run_node(ConditionNode, {"expression": expression}, event=ORDER,
                               profile={"id": "p1", "traits": {}, "tags": ["vip"]}, payload={"kept": True})
    assert result == Output(port, {"kept": True})


async def test_condition_sees_the_payload_from_the_previous_node() -> None:
    result, _ = await run_node(ConditionNode, {"expression": "payload.status == 200"}, payload={"status": 200})
    assert result == Output("true", {"status": 200})


def test_a_condition_that_does_not_compile_is_refused_with_the_position_of_the_mistake() -> None:
    with pytest.raises(ValidationError) as refused:
        ConditionNode.Config.model_validate({"expression": "event.properties.total >"})
    message = str(refused.value)
    assert "expected a value after '>'" in message
    assert "line 1, column" in message


def test_a_misspelled_root_is_refused_with_the_names_it_could_be() -> None:
    with pytest.raises(ValidationError, match=r"Unknown name .evnt.*paths start with one of: event, flow, payload"):
        ConditionNode.Config.model_validate({"expression": 'evnt.type == "purchase"'})


def test_an_empty_condition_is_refused() -> None:
    with pytest.raises(ValidationError):
        ConditionNode.Config.model_validate({"expression": ""})


async def test_log_renders_its_message_into_the_runs_trace() -> None:
    result, ctx = await run_node(Log, {"message": "order of {{ event.properties.total }} by {{ profile.id }}"},
                                 event=ORDER, payload="kept")
    assert result == Output("out", "kept")
    assert ctx.logs == ["order of 120 by test-profile"]


async def test_log_never_stops_a_flow_even_when_its_message_fails() -> None:
    result, ctx = await run_node(Log, {"message": "{{ 1 / 0 }}"}, payload="kept")
    assert result == Output("out", "kept")
    assert ctx.logs == ["log message failed to render: ZeroDivisionError: division by zero"]
