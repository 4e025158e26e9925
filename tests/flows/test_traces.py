"""Traces: kept for a configurable time (TTL index + query filter), newest first, filterable, paged."""

from __future__ import annotations

from datetime import timedelta

import httpx

from cairn.core.clock import utcnow
from cairn.core.runtime import Cairn
from tests.flows.support import deployed_flow, graph, track


async def test_traces_expire_after_the_configured_ttl(cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    cairn.flows.configure(trace_ttl=timedelta(hours=2))
    flow_id = await deployed_flow(cairn, graph(("start", "test.start")))
    await track(client, write_key, {"type": "purchase"})
    [stored] = await cairn.database.collection("flow_traces").find().to_list(None)

    assert timedelta(hours=1, minutes=59) < stored["expires_at"] - utcnow() <= timedelta(hours=2)
    assert await cairn.flows.traces.get(stored["_id"]) is not None

    await cairn.database.collection("flow_traces").update_one(
        {"_id": stored["_id"]}, {"$set": {"expires_at": utcnow() - timedelta(seconds=1)}})
    assert await cairn.flows.traces.get(stored["_id"]) is None
    assert (await cairn.flows.traces.find(flow_id=flow_id))[0] == []


async def test_the_trace_collection_has_a_ttl_index(cairn: Cairn) -> None:
    indexes = await cairn.database.collection("flow_traces").index_information()

    ttl = [index for index in indexes.values() if "expireAfterSeconds" in index]
    assert [(index["key"], index["expireAfterSeconds"]) for index in ttl] == [([("expires_at", 1)], 0)]


async def test_traces_are_filtered_and_paged_newest_first(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    healthy = await deployed_flow(cairn, graph(("start", "test.start")), name="healthy")
    broken = await deployed_flow(cairn, graph(("start", "test.start"), ("boom", "test.fail")), name="broken")
    first = await track(client, write_key, {"type": "purchase", "properties": {"n": 1}})
    await track(client, write_key, {"type": "purchase", "properties": {"n": 2}})
    await track(client, write_key, {"type": "purchase", "properties": {"n": 3}})
    store = cairn.flows.traces

    page = await store.page(first=2, flow_id=healthy)
    rest = await store.page(first=2, after=page.end_cursor, flow_id=healthy)
    inputs = [t["steps"][0]["input"]["n"] for t in page.items + rest.items]
    assert inputs == [3, 2, 1] and page.has_next_page and not rest.has_next_page

    failed = await store.page(first=10, errors_only=True)
    assert {t["flow_id"] for t in failed.items} == {broken} and len(failed.items) == 3

    mine = await store.page(first=10, profile_id=first["profile"]["id"])
    assert {t["profile_id"] for t in mine.items} == {first["profile"]["id"]}
    assert {t["flow_id"] for t in mine.items} == {healthy, broken}


async def test_big_values_are_cut_in_traces(cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    cairn.flows.configure(trace_value_bytes=200)
    flow_id = await deployed_flow(cairn, graph(("start", "test.start")))

    await track(client, write_key, {"type": "purchase", "properties": {"text": "x" * 5000}})

    [trace] = (await cairn.flows.traces.find(flow_id=flow_id))[0]
    assert trace["steps"][0]["input"]["truncated"] is True
    assert len(trace["steps"][0]["input"]["preview"]) == 100


async def test_keys_mongodb_would_misread_come_back_as_sent(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"),
                                               ("set", "test.set_trait", {"name": "odd.trait", "from_payload": "a.b"})))

    await track(client, write_key, {"type": "purchase", "properties": {"$price": 1, "a.b": {"100%": True}}})

    [trace] = (await cairn.flows.traces.find(flow_id=flow_id))[0]
    assert trace["steps"][0]["input"] == {"$price": 1, "a.b": {"100%": True}}
    assert trace["steps"][1]["changes"] == [{"op": "SetField", "path": "traits.odd.trait", "value": {"100%": True}}]
