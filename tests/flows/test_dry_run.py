"""Dry runs: a draft on a sample or stored event, showing what would happen and doing none of it."""

from __future__ import annotations

import httpx
import pytest

from cairn.core.flows import Invalid, NotFound
from cairn.core.runtime import Cairn
from tests.flows.support import graph, track

DRAFT = graph(("start", "test.start"), ("plan", "test.set_trait", {"name": "plan", "from_payload": "plan"}),
              ("send", "test.send"), ("popup", "test.widget", {"text": "hi"}))


async def test_a_dry_run_on_a_stored_event_leaves_no_trace_in_the_profile(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    response = await track(client, write_key, {"type": "purchase", "properties": {"plan": "gold"}})
    profile_id = response["profile"]["id"]
    before = await cairn.pipeline.repository.get(profile_id)
    event = await cairn.database.events.find_one({"profile_id": profile_id})
    flow = await cairn.flows.flows.create("draft", graph=DRAFT)

    result = await cairn.flows.dry_run(flow_id=flow.id, event_id=event["_id"])

    assert result.problems == []
    assert result.trace["status"] == "ok" and result.trace["dry_run"] is True
    assert result.trace["profile_id"] == profile_id
    assert [step["node_id"] for step in result.trace["steps"]] == ["start", "plan", "send", "popup"]
    assert result.changes == [{"op": "SetField", "path": "traits.plan", "value": "gold"}]
    assert result.profile["traits"]["plan"] == "gold"
    assert result.ux == [{"type": "test-banner", "text": "hi", "profile": profile_id}]
    kinds = [(call["kind"], call["node_id"]) for call in result.calls]
    assert kinds == [("http", "send"), ("channel", "send")]
    assert result.calls[1]["details"]["to"] == "ann@example.com"
    assert await cairn.pipeline.repository.get(profile_id) == before
    assert await cairn.database.collection("flow_traces").count_documents({}) == 0
    assert await cairn.database.collection("outbox").count_documents({}) == 0


async def test_a_dry_run_on_sample_json_uses_a_blank_profile_unless_one_is_named(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    flow = await cairn.flows.flows.create("draft", graph=DRAFT)

    blank = await cairn.flows.dry_run(flow_id=flow.id, event={"type": "purchase", "properties": {"plan": "a"}})
    assert blank.profile["id"] == "dry-run-profile" and blank.profile["traits"] == {"plan": "a"}

    response = await track(client, write_key, {"type": "identify", "traits": {"name": "Ann"}})
    named = await cairn.flows.dry_run(flow_id=flow.id, event={"type": "purchase", "properties": {"plan": "b"}},
                                      profile_id=response["profile"]["id"])
    assert named.profile["traits"] == {"name": "Ann", "plan": "b"}
    assert "plan" not in (await cairn.pipeline.repository.get(response["profile"]["id"]))["traits"]


async def test_a_dry_run_of_an_inline_graph_shows_its_problems_and_runs_what_it_can(cairn: Cairn) -> None:
    draft = graph(("start", "test.start"), ("ghost", "acme.missing"), ("tag", "test.tag", {"tag": "t"}),
                  edges=[("start", "out", "ghost"), ("start", "out", "tag")])

    result = await cairn.flows.dry_run(graph=draft, event={"type": "purchase"})

    assert [(p.node_id, p.code) for p in result.problems] == [("ghost", "unknown_node_type")]
    steps = {step["node_id"]: step for step in result.trace["steps"]}
    assert steps["ghost"]["error"] == "node type 'acme.missing' is not installed"
    assert steps["tag"]["changes"] == [{"op": "AddToList", "path": "tags", "values": ["t"]}]


async def test_a_dry_run_needs_an_event_with_a_type(cairn: Cairn) -> None:
    flow = await cairn.flows.flows.create("draft", graph=DRAFT)

    with pytest.raises(Invalid):
        await cairn.flows.dry_run(flow_id=flow.id, event={"properties": {}})
    with pytest.raises(NotFound):
        await cairn.flows.dry_run(flow_id=flow.id, event_id="no-such-event")
    with pytest.raises(NotFound):
        await cairn.flows.dry_run(flow_id="no-such-flow", event={"type": "x"})
