"""The engine on real events: deployed flows run after the profile is resolved, once per event,
and whatever a node does wrong, the event's processing completes."""

from __future__ import annotations

import time

import httpx

from cairn.core.runtime import Cairn
from tests.flows.support import deployed_flow, graph, traces_of, track


async def profile_of(cairn: Cairn, response: dict) -> dict:
    profile = await cairn.pipeline.repository.get(response["profile"]["id"])
    assert profile is not None
    return profile


async def test_a_deployed_flow_changes_the_profile_of_a_tracked_event(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("plan", "test.set_trait",
                                                                          {"name": "plan", "from_payload": "plan"}),
                                               ("vip", "test.tag", {"tag": "vip"})))

    response = await track(client, write_key, {"type": "purchase", "properties": {"plan": "pro"}})

    profile = await profile_of(cairn, response)
    assert profile["traits"]["plan"] == "pro"
    assert "vip" in profile["tags"]
    assert profile["stats"]["events"] == 1
    [trace] = await traces_of(cairn, flow_id)
    assert trace["status"] == "ok" and trace["flow_version"] == 1
    assert trace["profile_id"] == profile["id"] and trace["event_type"] == "purchase"
    assert [step["node_id"] for step in trace["steps"]] == ["start", "plan", "vip"]
    plan = trace["steps"][1]
    assert plan["input"] == {"plan": "pro"}
    assert plan["outputs"] == [{"port": "out", "payload": {"plan": "pro"}}]
    assert plan["changes"] == [{"op": "SetField", "path": "traits.plan", "value": "pro"}]
    assert plan["duration_ms"] >= 0 and plan["error"] is None


async def test_flows_run_for_segment_api_events_too(cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await deployed_flow(cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tag": "buyer"})),
                        event_type="Order Completed")

    response = await client.post("/v1/track", json={"userId": "u-42", "event": "Order Completed"},
                                 auth=(write_key, ""))

    assert response.status_code == 200, response.text
    event = await cairn.database.events.find_one({"user_id": "u-42"})
    profile = await cairn.pipeline.repository.get(event["profile_id"])
    assert profile["tags"] == ["buyer"]


async def test_a_branch_follows_every_port_and_a_join_runs_once_per_arrival(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    flow_graph = graph(("start", "test.start"), ("split", "test.branch"), ("left", "test.pass"),
                       ("right", "test.pass"), ("join", "test.count"),
                       edges=[("start", "out", "split"), ("split", "a", "left"), ("split", "b", "right"),
                              ("left", "out", "join"), ("right", "out", "join")])
    flow_id = await deployed_flow(cairn, flow_graph)

    response = await track(client, write_key, {"type": "purchase"})

    assert (await profile_of(cairn, response))["traits"]["counted"] == 2
    [trace] = await traces_of(cairn, flow_id)
    assert [s["node_id"] for s in trace["steps"]] == ["start", "split", "left", "right", "join", "join"]
    assert [s["input"] for s in trace["steps"] if s["node_id"] == "join"] == [{"path": "a"}, {"path": "b"}]


async def test_a_failing_node_is_traced_and_the_rest_of_the_processing_completes(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    broken = await deployed_flow(cairn, graph(("start", "test.start"), ("before", "test.tag", {"tag": "before"}),
                                              ("boom", "test.fail"), ("after", "test.tag", {"tag": "after"})),
                                 name="broken")
    healthy = await deployed_flow(cairn, graph(("start", "test.start"), ("ok", "test.tag", {"tag": "healthy"})),
                                  name="healthy")

    response = await track(client, write_key, {"type": "purchase"}, {"type": "purchase"})

    assert response["stored"] == 2 and response["ux"] == []
    assert await cairn.database.events.count_documents({"type": "purchase"}) == 2
    profile = await profile_of(cairn, response)
    assert profile["stats"]["events"] == 2
    assert sorted(profile["tags"]) == ["before", "healthy"]
    assert "half_done" not in profile.get("traits", {})
    failed = await traces_of(cairn, broken)
    assert len(failed) == 2 and {t["status"] for t in failed} == {"error"}
    boom = next(step for step in failed[0]["steps"] if step["node_id"] == "boom")
    assert boom["error"] == "RuntimeError: boom" and boom["changes"] == [] and boom["ux"] == []
    assert {t["status"] for t in await traces_of(cairn, healthy)} == {"ok"}


async def test_the_step_limit_ends_an_endless_loop(cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    cairn.flows.configure(step_limit=25)
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("spin", "test.loop"),
                                               edges=[("start", "out", "spin"), ("spin", "out", "spin")]))

    response = await track(client, write_key, {"type": "purchase"})

    assert response["stored"] == 1
    [trace] = await traces_of(cairn, flow_id)
    assert trace["status"] == "step_limit" and len(trace["steps"]) == 25
    assert "step limit" in trace["error"] and "'spin'" in trace["error"]


async def test_a_slow_node_is_stopped_at_its_timeout(cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("slow", "test.slow"),
                                               ("after", "test.tag", {"tag": "never"})))

    started = time.monotonic()
    response = await track(client, write_key, {"type": "purchase"})

    assert time.monotonic() - started < 3
    assert "slow_started" not in (await profile_of(cairn, response)).get("traits", {})
    [trace] = await traces_of(cairn, flow_id)
    assert trace["steps"][-1]["error"] == "timed out after 0.2 s (the node's time limit)"


async def test_the_default_node_timeout_applies_to_nodes_without_their_own(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    from tests.flows.support import Slow

    cairn.flows.configure(node_timeout=0.1)
    original, Slow.timeout = Slow.timeout, None
    try:
        flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("slow", "test.slow", {"seconds": 2})))
        await track(client, write_key, {"type": "purchase"})
    finally:
        Slow.timeout = original
    [trace] = await traces_of(cairn, flow_id)
    assert trace["steps"][-1]["error"] == "timed out after 0.1 s (the node's time limit)"


async def test_a_port_the_node_does_not_declare_is_an_error(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("odd", "test.wrong_port")))

    await track(client, write_key, {"type": "purchase"})

    [trace] = await traces_of(cairn, flow_id)
    assert "returned port 'nowhere'" in trace["steps"][-1]["error"]


async def test_ux_instructions_come_back_in_the_track_response(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await deployed_flow(cairn, graph(("start", "test.start"), ("popup", "test.widget", {"text": "10% off"})))

    response = await track(client, write_key, {"type": "purchase"})

    assert response["ux"] == [{"type": "test-banner", "text": "10% off", "profile": response["profile"]["id"]}]


async def test_tracing_can_be_turned_off(cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    cairn.flows.configure(tracing=False)
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tag": "quiet"})))

    response = await track(client, write_key, {"type": "purchase"})

    assert (await profile_of(cairn, response))["tags"] == ["quiet"]
    assert await traces_of(cairn, flow_id) == []


async def test_a_node_that_keeps_failing_is_disabled_and_reported(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    cairn.flows.configure(node_failure_limit=2)
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("boom", "test.fail")))

    for _ in range(3):
        await track(client, write_key, {"type": "purchase"})

    assert "test.fail" in cairn.flows.nodes.disabled
    newest = (await traces_of(cairn, flow_id))[0]
    assert "disabled after 2 failures in a row" in newest["steps"][-1]["error"]
    [problem] = [p for p in cairn.plugins.problems.all() if p.node_type == "test.fail"]
    assert problem.plugin == "flow-test-nodes" and problem.stage == "run" and problem.disabled
    assert problem.count == 2 and "RuntimeError: boom" in problem.message

    assert cairn.flows.nodes.enable("test.fail")
    assert "test.fail" not in cairn.flows.nodes.disabled
    assert not [p for p in cairn.plugins.problems.all() if p.node_type == "test.fail"]


async def test_an_event_without_a_matching_rule_runs_nothing(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tag": "x"})))

    response = await track(client, write_key, {"type": "page-view"})

    assert (await profile_of(cairn, response)).get("tags", []) == []
    assert await traces_of(cairn, flow_id) == []


async def test_on_profile_changed_sees_the_flow_changes_in_the_single_save(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    from cairn.core.plugin_manager import hookimpl

    seen: list[tuple[dict, list]] = []

    class Listener:
        @hookimpl
        def on_profile_changed(self, cairn: Cairn, profile: dict, changes: list) -> None:
            seen.append((profile, changes))

    cairn.plugins.register(Listener(), name="listener")
    await deployed_flow(cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tag": "seen"})))

    response = await track(client, write_key, {"type": "purchase"})

    [(profile, changes)] = seen
    assert profile["id"] == response["profile"]["id"] and profile["tags"] == ["seen"]
    assert "AddToList" in {type(change).__name__ for change in changes}
