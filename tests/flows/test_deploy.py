"""Drafts and deployed versions: deploying validates the graph and refuses it with a problem list."""

from __future__ import annotations

import httpx
import pytest

from cairn.core.flows import Graph
from cairn.core.runtime import Cairn
from tests.flows.support import deployed_flow, graph, track


def codes(problems: list) -> set[tuple[str | None, str]]:
    return {(problem.node_id, problem.code) for problem in problems}


async def refused(cairn: Cairn, flow_graph: Graph) -> list:
    flow = await cairn.flows.flows.create("bad", graph=flow_graph)
    result = await cairn.flows.deploy(flow.id)
    assert result.version is None
    assert (await cairn.flows.flows.get(flow.id)).deployed_version is None
    assert await cairn.flows.flows.list_versions(flow.id) == []
    return result.problems


async def test_unknown_node_types_are_refused(cairn: Cairn) -> None:
    problems = await refused(cairn, graph(("start", "test.start"), ("ghost", "acme.missing")))

    assert codes(problems) == {("ghost", "unknown_node_type")}
    assert "acme.missing" in problems[0].message and problems[0].hint


async def test_config_its_model_refuses_is_refused_per_field(cairn: Cairn) -> None:
    problems = await refused(cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tagg": "typo"})))

    assert codes(problems) == {("tag", "invalid_config")}
    assert sorted(p.message for p in problems) == [
        "node 'tag': config field 'tag': Field required",
        "node 'tag': config field 'tagg': Extra inputs are not permitted"]


async def test_dangling_edges_and_unknown_ports_are_refused(cairn: Cairn) -> None:
    problems = await refused(cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tag": "t"}),
                                          edges=[("start", "out", "tag"), ("tag", "out", "nowhere"),
                                                 ("start", "sideways", "tag"), ("tag", "out", "start")]))

    assert codes(problems) == {("tag", "dangling_edge"), ("start", "unknown_port")}
    assert any("'sideways'" in p.message and "out" in p.hint for p in problems)
    assert any("start node 'start'" in p.message for p in problems)


async def test_unreachable_nodes_and_a_missing_start_are_refused(cairn: Cairn) -> None:
    assert codes(await refused(cairn, graph(("start", "test.start"), ("island", "test.pass"), edges=[]))) == {
        ("island", "unreachable_node")}
    assert codes(await refused(cairn, graph(("a", "test.pass"), ("b", "test.pass")))) == {(None, "no_start_node")}


async def test_duplicate_node_ids_are_refused(cairn: Cairn) -> None:
    problems = await refused(cairn, graph(("start", "test.start"), ("x", "test.pass"), ("x", "test.pass")))

    assert ("x", "duplicate_node_id") in codes(problems)


async def test_cycles_are_allowed(cairn: Cairn) -> None:
    loop = graph(("start", "test.start"), ("a", "test.pass"), ("b", "test.pass"),
                 edges=[("start", "out", "a"), ("a", "out", "b"), ("b", "out", "a")])

    assert cairn.flows.check_graph(loop) == []


async def test_deploying_creates_version_n_plus_one_and_drafts_stay_apart(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tag": "v1"})))
    await cairn.flows.flows.update(flow_id, graph=graph(("start", "test.start"), ("tag", "test.tag", {"tag": "v2"})))

    first = await track(client, write_key, {"type": "purchase"})
    assert (await cairn.pipeline.repository.get(first["profile"]["id"]))["tags"] == ["v1"]

    result = await cairn.flows.deploy(flow_id)
    assert result.version is not None and result.version.version == 2
    second = await track(client, write_key, {"type": "purchase"})

    assert (await cairn.pipeline.repository.get(second["profile"]["id"]))["tags"] == ["v2"]
    versions = await cairn.flows.flows.list_versions(flow_id)
    assert [v.version for v in versions] == [2, 1]
    assert versions[1].graph.nodes[1].config == {"tag": "v1"}
    assert (await cairn.flows.flows.get(flow_id)).deployed_version == 2


async def test_deleting_a_flow_removes_its_versions_and_rules(cairn: Cairn) -> None:
    flow_id = await deployed_flow(cairn, graph(("start", "test.start")))

    assert await cairn.flows.delete_flow(flow_id)

    assert await cairn.flows.flows.get(flow_id) is None
    assert await cairn.flows.flows.list_versions(flow_id) == []
    assert await cairn.flows.rules.list({"flow_id": flow_id}) == []


async def test_config_keys_mongodb_would_misread_survive_the_round_trip(cairn: Cairn) -> None:
    odd = graph(("start", "test.start"), ("set", "test.set_trait", {"name": "x", "value": {"$gt": 1, "a.b": 2}}))
    flow_id = await deployed_flow(cairn, odd, event_type=None)

    version = await cairn.flows.flows.get_version(flow_id, 1)

    assert version.graph.nodes[1].config == {"name": "x", "value": {"$gt": 1, "a.b": 2}}


@pytest.mark.parametrize("name", ["", None])
async def test_a_flow_needs_a_name(cairn: Cairn, name: str | None) -> None:
    from cairn.core.flows import Invalid

    with pytest.raises(Invalid) as refused_flow:
        await cairn.flows.flows.create(name)  # type: ignore[arg-type]

    assert refused_flow.value.problems[0]["field"] == "name"
