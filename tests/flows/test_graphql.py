"""The flow part of the GraphQL API, over HTTP with an admin token."""

from __future__ import annotations

import httpx

from cairn.core.runtime import Cairn
from tests.flows.support import GraphQL, track

FLOW_FIELDS = "id name deployedVersion draft { nodes { id type config position { x y } } edges { fromNode fromPort toNode } }"
GRAPH = {"nodes": [{"id": "start", "type": "test.start", "position": {"x": 0, "y": 0}},
                   {"id": "tag", "type": "test.tag", "config": {"tag": "gql"}, "position": {"x": 200, "y": 0}}],
         "edges": [{"fromNode": "start", "toNode": "tag"}]}


async def create_flow(api: GraphQL, graph: dict) -> str:
    data = await api.data(f"""mutation($graph: FlowGraphInput) {{
        createFlow(name: "Welcome", graph: $graph) {{ ... on FlowSaved {{ flow {{ {FLOW_FIELDS} }} }} }} }}""",
                          graph=graph)
    return data["createFlow"]["flow"]["id"]  # type: ignore[no-any-return]


async def test_the_node_catalogue_lists_every_declared_node_type(api: GraphQL) -> None:
    data = await api.data("""{ nodeTypes { id version name category inputs outputs configSchema plugin isStart
                                            timeout disabled } }""")

    by_id = {node["id"]: node for node in data["nodeTypes"]}
    assert by_id["test.start"]["isStart"] is True and by_id["test.start"]["inputs"] == []
    assert by_id["test.branch"]["outputs"] == ["a", "b"]
    assert by_id["test.tag"]["configSchema"]["required"] == ["tag"]
    assert by_id["test.tag"]["plugin"] == "flow-test-nodes"
    assert by_id["test.slow"]["timeout"] == 0.2


async def test_create_edit_and_deploy_a_flow(api: GraphQL) -> None:
    flow_id = await create_flow(api, GRAPH)

    deployed = await api.data("""mutation($id: ID!) { deployFlow(id: $id) {
        __typename ... on FlowDeployed { version { version graph { nodes { id } } } flow { deployedVersion } } } }""",
                              id=flow_id)
    assert deployed["deployFlow"]["version"]["version"] == 1
    assert deployed["deployFlow"]["flow"]["deployedVersion"] == 1

    broken = {**GRAPH, "edges": [{"fromNode": "start", "fromPort": "nope", "toNode": "tag"}]}
    updated = await api.data("""mutation($id: ID!, $graph: FlowGraphInput) { updateFlow(id: $id, graph: $graph) {
        ... on FlowSaved { flow { deployedVersion draft { edges { fromPort } } } } } }""", id=flow_id, graph=broken)
    assert updated["updateFlow"]["flow"] == {"deployedVersion": 1, "draft": {"edges": [{"fromPort": "nope"}]}}

    refused = await api.data("""mutation($id: ID!) { deployFlow(id: $id) {
        __typename ... on DeployRefused { message problems { nodeId code message hint } } } }""", id=flow_id)
    result = refused["deployFlow"]
    assert result["__typename"] == "DeployRefused"
    [problem] = result["problems"]
    assert (problem["nodeId"], problem["code"]) == ("start", "unknown_port")
    assert problem["hint"] == "use one of its ports: out"

    listed = await api.data("{ flows { id name deployedVersion versions { version } } }")
    assert listed["flows"] == [{"id": flow_id, "name": "Welcome", "deployedVersion": 1, "versions": [{"version": 1}]}]


async def test_check_flow_graph_lists_problems_without_deploying(api: GraphQL) -> None:
    data = await api.data("""query($graph: FlowGraphInput!) { checkFlowGraph(graph: $graph) { nodeId code } }""",
                          graph={"nodes": [{"id": "a", "type": "acme.none"}], "edges": []})

    assert {(p["nodeId"], p["code"]) for p in data["checkFlowGraph"]} == {("a", "unknown_node_type"),
                                                                           (None, "no_start_node")}


async def test_rules_run_deployed_flows_and_traces_can_be_queried(
        cairn: Cairn, api: GraphQL, client: httpx.AsyncClient, write_key: str) -> None:
    flow_id = await create_flow(api, GRAPH)
    await api.data("mutation($id: ID!) { deployFlow(id: $id) { __typename } }", id=flow_id)
    created = await api.data("""mutation($flow: String!) { createRule(eventType: "purchase", flowId: $flow,
        condition: "event.properties.total > 5") { __typename ... on RuleSaved { rule { id condition flowId } } } }""",
                             flow=flow_id)
    rule = created["createRule"]["rule"]
    assert rule["condition"] == "event.properties.total > 5"

    await track(client, write_key, {"type": "purchase", "properties": {"total": 10}})
    traces = await api.data("""query($flow: String) { flowTraces(flowId: $flow, first: 5) {
        edges { node { id status ruleId flowVersion steps { nodeId input outputs { port payload } changes } } }
        pageInfo { hasNextPage } } }""", flow=flow_id)
    [edge] = traces["flowTraces"]["edges"]
    assert edge["node"]["ruleId"] == rule["id"] and edge["node"]["status"] == "ok"
    assert edge["node"]["steps"][1]["changes"] == [{"op": "AddToList", "path": "tags", "values": ["gql"]}]
    one = await api.data("query($id: ID!) { flowTrace(id: $id) { id } }", id=edge["node"]["id"])
    assert one["flowTrace"]["id"] == edge["node"]["id"]

    cleared = await api.data("""mutation($id: ID!) { updateRule(id: $id, condition: null) {
        ... on RuleSaved { rule { condition eventType } } } }""", id=rule["id"])
    assert cleared["updateRule"]["rule"] == {"condition": None, "eventType": "purchase"}
    deleted = await api.data('mutation($id: ID!) { deleteRule(id: $id) { __typename } }', id=rule["id"])
    assert deleted["deleteRule"]["__typename"] == "Deleted"
    assert (await api.data("{ rules { id } }"))["rules"] == []


async def test_refused_input_comes_back_as_invalid_input(api: GraphQL) -> None:
    data = await api.data("""mutation { createRule(eventType: "x", flowId: "nope", condition: "a ==") {
        __typename ... on InvalidInput { errors { field message } } } }""")

    assert data["createRule"]["__typename"] == "InvalidInput"
    assert data["createRule"]["errors"] == [{"field": "flow_id", "message": "no such flow"}]
    missing = await api.data('mutation { deployFlow(id: "nope") { __typename } }')
    assert missing["deployFlow"]["__typename"] == "NotFound"


async def test_a_dry_run_over_graphql(cairn: Cairn, api: GraphQL) -> None:
    data = await api.data("""mutation($graph: FlowGraphInput, $event: JSON) {
        dryRunFlow(graph: $graph, event: $event) { __typename ... on DryRunResult {
            problems { code } changes profile calls ux trace { status dryRun steps { nodeId } } } } }""",
                          graph=GRAPH, event={"type": "purchase", "properties": {"total": 3}})

    result = data["dryRunFlow"]
    assert result["__typename"] == "DryRunResult" and result["problems"] == []
    assert result["trace"] == {"status": "ok", "dryRun": True, "steps": [{"nodeId": "start"}, {"nodeId": "tag"}]}
    assert result["profile"]["tags"] == ["gql"]
    assert await cairn.database.collection("flow_traces").count_documents({}) == 0

    both = await api.data("""mutation { dryRunFlow(eventId: "y", event: {type: "a"}) {
        __typename ... on InvalidInput { errors { field } } } }""")
    assert both["dryRunFlow"]["errors"] == [{"field": "flowId"}, {"field": "event"}]


async def test_event_schemas_mappings_and_identification_points_crud(api: GraphQL) -> None:
    schema = await api.data("""mutation($schema: JSON!) { createEventSchema(eventType: "purchase",
        jsonSchema: $schema, onInvalid: "refuse") { ... on EventSchemaSaved { eventSchema { id jsonSchema onInvalid
        target } } } }""", schema={"type": "object", "required": ["total"]})
    schema_id = schema["createEventSchema"]["eventSchema"]["id"]
    assert schema["createEventSchema"]["eventSchema"]["onInvalid"] == "refuse"
    bad = await api.data("""mutation($id: ID!) { updateEventSchema(id: $id, onInvalid: "ignore") {
        __typename ... on InvalidInput { errors { field } } } }""", id=schema_id)
    assert bad["updateEventSchema"]["errors"] == [{"field": "on_invalid"}]

    mapping = await api.data("""mutation { createEventMapping(eventType: "purchase", fields: [
        {source: "event.properties.plan", trait: "plan", mode: "if_empty"}]) {
        ... on EventMappingSaved { eventMapping { id fields { source trait mode } } } } }""")
    mapping_id = mapping["createEventMapping"]["eventMapping"]["id"]
    renamed = await api.data("""mutation($id: ID!) { updateEventMapping(id: $id, name: "plans") {
        ... on EventMappingSaved { eventMapping { name fields { mode } } } } }""", id=mapping_id)
    assert renamed["updateEventMapping"]["eventMapping"] == {"name": "plans", "fields": [{"mode": "if_empty"}]}

    point = await api.data("""mutation { createIdentificationPoint(eventType: "login", identifiers: [
        {source: "event.properties.email", kind: "email"}]) {
        ... on IdentificationPointSaved { identificationPoint { id identifiers { kind } } } } }""")
    point_id = point["createIdentificationPoint"]["identificationPoint"]["id"]

    listed = await api.data("{ eventSchemas { id } eventMappings { id } identificationPoints { id eventType } }")
    assert listed == {"eventSchemas": [{"id": schema_id}], "eventMappings": [{"id": mapping_id}],
                      "identificationPoints": [{"id": point_id, "eventType": "login"}]}
    for mutation, item in (("deleteEventSchema", schema_id), ("deleteEventMapping", mapping_id),
                           ("deleteIdentificationPoint", point_id)):
        done = await api.data(f"mutation($id: ID!) {{ {mutation}(id: $id) {{ __typename }} }}", id=item)
        assert done[mutation]["__typename"] == "Deleted"


async def test_plugin_problems_and_enabling_a_node_type(
        cairn: Cairn, api: GraphQL, client: httpx.AsyncClient, write_key: str) -> None:
    cairn.flows.configure(node_failure_limit=1)
    flow_id = await create_flow(api, {"nodes": [{"id": "start", "type": "test.start"},
                                                {"id": "boom", "type": "test.fail"}],
                                      "edges": [{"fromNode": "start", "toNode": "boom"}]})
    await api.data("mutation($id: ID!) { deployFlow(id: $id) { __typename } }", id=flow_id)
    await api.data('mutation($flow: String!) { createRule(eventType: "purchase", flowId: $flow) { __typename } }',
                   flow=flow_id)
    await track(client, write_key, {"type": "purchase"})

    problems = await api.data("{ pluginProblems { plugin stage nodeType disabled message hint count } }")
    [problem] = [p for p in problems["pluginProblems"] if p["nodeType"] == "test.fail"]
    assert problem["plugin"] == "flow-test-nodes" and problem["stage"] == "run" and problem["disabled"] is True
    catalogue = await api.data('{ nodeType(id: "test.fail") { disabled } }')
    assert "disabled after 1 failures" in catalogue["nodeType"]["disabled"]

    enabled = await api.data("""mutation { enableNodeType(id: "test.fail") {
        ... on NodeTypeEnabled { nodeType { disabled } } } }""")
    assert enabled["enableNodeType"]["nodeType"]["disabled"] is None
    assert [p for p in (await api.data("{ pluginProblems { nodeType } }"))["pluginProblems"]
            if p["nodeType"] == "test.fail"] == []
