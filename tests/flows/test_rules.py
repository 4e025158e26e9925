"""Rules: an event type (any with ``*``), optionally a source and a condition, pick the flows to run."""

from __future__ import annotations

import httpx
import pytest

from cairn.core.flows import Invalid
from cairn.core.runtime import Cairn
from tests.flows.support import deployed_flow, graph, traces_of, track


def tagging(tag: str):  # noqa: ANN201 - a Graph
    return graph(("start", "test.start"), ("tag", "test.tag", {"tag": tag}))


async def tags_after(cairn: Cairn, client: httpx.AsyncClient, write_key: str, *events: dict) -> list[str]:
    response = await track(client, write_key, *events)
    profile = await cairn.pipeline.repository.get(response["profile"]["id"])
    return sorted(profile.get("tags", []))


async def test_a_condition_decides_whether_the_flow_runs(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await deployed_flow(cairn, tagging("big-spender"), condition="event.properties.total >= 100")

    assert await tags_after(cairn, client, write_key, {"type": "purchase", "properties": {"total": 20}}) == []
    assert await tags_after(cairn, client, write_key, {"type": "purchase", "properties": {"total": 150}}) == [
        "big-spender"]


async def test_a_condition_sees_the_profile_as_the_event_left_it(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await deployed_flow(cairn, tagging("regular"), condition="profile.stats.events >= 2")

    response = await track(client, write_key, {"type": "purchase"})
    profile_id = response["profile"]["id"]
    assert (await cairn.pipeline.repository.get(profile_id)).get("tags", []) == []
    await track(client, write_key, {"type": "purchase"}, profile_id=profile_id)

    assert (await cairn.pipeline.repository.get(profile_id))["tags"] == ["regular"]


async def test_a_rule_can_be_limited_to_one_source(cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    shop = await cairn.sources.by_write_key(write_key)
    other = await cairn.sources.create("back office")
    await deployed_flow(cairn, tagging("from-shop"), source_id=shop.id, name="shop only")
    await deployed_flow(cairn, tagging("from-office"), source_id=other.id, name="office only")

    assert await tags_after(cairn, client, write_key, {"type": "purchase"}) == ["from-shop"]
    assert await tags_after(cairn, client, other.write_key, {"type": "purchase"}) == ["from-office"]


async def test_several_flows_can_match_one_event_and_each_runs_once(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    first = await deployed_flow(cairn, tagging("one"), name="one")
    await deployed_flow(cairn, tagging("two"), name="two")
    await deployed_flow(cairn, tagging("any"), event_type="*", name="any")
    await cairn.flows.create_rule({"event_type": "*", "flow_id": first})  # a second rule for the same flow

    assert await tags_after(cairn, client, write_key, {"type": "purchase"}) == ["any", "one", "two"]
    assert len(await traces_of(cairn, first)) == 1


async def test_later_flows_see_earlier_flows_changes(cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await deployed_flow(cairn, tagging("first"), name="first")
    await deployed_flow(cairn, tagging("second"), name="second", condition='"first" in profile.tags')

    assert await tags_after(cairn, client, write_key, {"type": "purchase"}) == ["first", "second"]


async def test_a_disabled_rule_and_an_undeployed_flow_run_nothing(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    flow_id = await deployed_flow(cairn, tagging("off"), event_type=None)
    rule = await cairn.flows.create_rule({"event_type": "purchase", "flow_id": flow_id, "enabled": False})
    draft_only = await cairn.flows.flows.create("draft", graph=tagging("draft"))
    await cairn.flows.create_rule({"event_type": "purchase", "flow_id": draft_only.id})

    assert await tags_after(cairn, client, write_key, {"type": "purchase"}) == []
    await cairn.flows.update_rule(rule.id, {"enabled": True})
    assert await tags_after(cairn, client, write_key, {"type": "purchase"}) == ["off"]


async def test_a_rule_for_an_unknown_flow_is_refused(cairn: Cairn) -> None:
    with pytest.raises(Invalid) as refused:
        await cairn.flows.create_rule({"event_type": "purchase", "flow_id": "nope"})

    assert refused.value.problems == [{"field": "flow_id", "message": "no such flow"}]


async def test_a_condition_that_does_not_compile_is_refused_with_its_position(cairn: Cairn) -> None:
    flow_id = await deployed_flow(cairn, tagging("x"), event_type=None)

    with pytest.raises(Invalid) as refused:
        await cairn.flows.create_rule({"event_type": "purchase", "flow_id": flow_id,
                                       "condition": "event.properties.total >"})

    [problem] = refused.value.problems
    assert problem["field"] == "condition" and "line 1, column" in problem["message"]


async def test_rules_match_any_event_dict_such_as_internal_events(cairn: Cairn) -> None:
    """The matching is generic over event dicts: internal events (segment-entered…) use the same rules."""
    flow_id = await deployed_flow(cairn, tagging("in-segment"), event_type="segment-entered",
                                  condition='event.properties.segmentName == "VIP"')
    config = await cairn.flows.catalog.current()

    vip = {"type": "segment-entered", "source_id": "cairn-internal", "properties": {"segmentName": "VIP"}}
    [active] = config.rules.matching(vip)
    assert active.flow.flow_id == flow_id
    assert active.condition.evaluate({"event": vip, "profile": {}, "session": {}})
    assert config.rules.matching({**vip, "type": "segment-left"}) == []


async def test_clearing_a_rule_condition_and_source(cairn: Cairn) -> None:
    flow_id = await deployed_flow(cairn, tagging("x"), event_type=None)
    rule = await cairn.flows.create_rule({"event_type": "purchase", "flow_id": flow_id, "source_id": "s1",
                                          "condition": "event.properties.total > 1"})

    updated = await cairn.flows.update_rule(rule.id, {"condition": None, "source_id": None})

    assert updated.condition is None and updated.source_id is None and updated.event_type == "purchase"
