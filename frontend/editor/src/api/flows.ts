/** Flow operations: node catalogue, flows, deploy, dry run, traces. */

import { gql, graphql } from "./client";
import type {
  Connection, DryRunResult, Flow, FlowGraph, FlowSummary, FlowTrace, GraphProblem, InvalidInput, JSONValue,
  NodeType, NotFound,
} from "./types";

const GRAPH = graphql`nodes { id type config position { x y } label } edges { fromNode fromPort toNode }`;
const RULE = graphql`id name eventType sourceId flowId condition enabled createdAt`;
const FLOW = graphql`id name description deployedVersion updatedAt draft { ${GRAPH} }
  versions { version name deployedAt } rules { ${RULE} }`;
const PROBLEM = graphql`nodeId code message hint`;
const STEP = graphql`step nodeId nodeType input outputs { port payload } changes ux logs error durationMs`;
const TRACE = graphql`id flowId flowName flowVersion eventId eventType profileId dryRun status error errorCount
  startedAt durationMs steps { ${STEP} }`;
const EXPECTED = graphql`... on InvalidInput { message errors { field message } } ... on NotFound { message id }`;

export const RULE_FIELDS = RULE;

export async function nodeTypes(): Promise<NodeType[]> {
  const data = await gql<{ nodeTypes: NodeType[] }>(graphql`{ nodeTypes {
    id version name category description docs inputs outputs configSchema plugin isStart disabled } }`);
  return data.nodeTypes;
}

export async function listFlows(): Promise<FlowSummary[]> {
  const data = await gql<{ flows: FlowSummary[] }>(
    graphql`{ flows { id name description deployedVersion updatedAt } }`);
  return data.flows;
}

export async function getFlow(id: string): Promise<Flow | null> {
  const data = await gql<{ flow: Flow | null }>(graphql`query($id: ID!) { flow(id: $id) { ${FLOW} } }`, { id });
  return data.flow;
}

/** The graph as the server's FlowGraphInput expects it (only the known fields). */
export function graphInput(graph: FlowGraph): FlowGraph {
  return {
    nodes: graph.nodes.map(({ id, type, config, position, label }) => ({
      id, type, config, position: { x: Math.round(position.x), y: Math.round(position.y) }, label: label ?? null,
    })),
    edges: graph.edges.map(({ fromNode, fromPort, toNode }) => ({ fromNode, fromPort, toNode })),
  };
}

export type FlowResult = ({ __typename: "FlowSaved"; flow: Flow }) | InvalidInput | NotFound;

export async function createFlow(name: string, description = "", graph?: FlowGraph): Promise<FlowResult> {
  const data = await gql<{ createFlow: FlowResult }>(graphql`
    mutation($name: String!, $description: String!, $graph: FlowGraphInput) {
      createFlow(name: $name, description: $description, graph: $graph) {
        __typename ... on FlowSaved { flow { ${FLOW} } } ${EXPECTED} } }`,
  { name, description, graph: graph ? graphInput(graph) : null });
  return data.createFlow;
}

export async function updateFlow(id: string, changes: { name?: string; description?: string; graph?: FlowGraph }):
Promise<FlowResult> {
  const data = await gql<{ updateFlow: FlowResult }>(graphql`
    mutation($id: ID!, $name: String, $description: String, $graph: FlowGraphInput) {
      updateFlow(id: $id, name: $name, description: $description, graph: $graph) {
        __typename ... on FlowSaved { flow { ${FLOW} } } ${EXPECTED} } }`,
  { id, name: changes.name ?? null, description: changes.description ?? null,
    graph: changes.graph ? graphInput(changes.graph) : null });
  return data.updateFlow;
}

export async function deleteFlow(id: string): Promise<void> {
  await gql(graphql`mutation($id: ID!) { deleteFlow(id: $id) { __typename } }`, { id });
}

export type DeployResult =
  | { __typename: "FlowDeployed"; flow: Flow; version: { version: number } }
  | { __typename: "DeployRefused"; message: string; problems: GraphProblem[] }
  | NotFound;

export async function deployFlow(id: string): Promise<DeployResult> {
  const data = await gql<{ deployFlow: DeployResult }>(graphql`mutation($id: ID!) { deployFlow(id: $id) {
    __typename ... on FlowDeployed { flow { ${FLOW} } version { version } }
    ... on DeployRefused { message problems { ${PROBLEM} } } ... on NotFound { message id } } }`, { id });
  return data.deployFlow;
}

export async function checkFlowGraph(graph: FlowGraph): Promise<GraphProblem[]> {
  const data = await gql<{ checkFlowGraph: GraphProblem[] }>(
    graphql`query($graph: FlowGraphInput!) { checkFlowGraph(graph: $graph) { ${PROBLEM} } }`,
    { graph: graphInput(graph) });
  return data.checkFlowGraph;
}

export interface DryRunInput {
  graph: FlowGraph;
  event?: JSONValue;
  eventId?: string;
  profileId?: string;
}

export type DryRunFlowResult = DryRunResult | InvalidInput | NotFound;

export async function dryRunFlow(input: DryRunInput): Promise<DryRunFlowResult> {
  const data = await gql<{ dryRunFlow: DryRunFlowResult }>(graphql`
    mutation($graph: FlowGraphInput, $event: JSON, $eventId: String, $profileId: String) {
      dryRunFlow(graph: $graph, event: $event, eventId: $eventId, profileId: $profileId) {
        __typename ... on DryRunResult { problems { ${PROBLEM} } trace { ${TRACE} } changes profile calls ux }
        ${EXPECTED} } }`,
  { graph: graphInput(input.graph), event: input.event ?? null, eventId: input.eventId || null,
    profileId: input.profileId || null });
  return data.dryRunFlow;
}

export async function flowTraces(flowId: string, first = 20): Promise<Connection<FlowTrace>> {
  const data = await gql<{ flowTraces: Connection<FlowTrace> }>(graphql`query($flowId: String, $first: Int) {
    flowTraces(flowId: $flowId, first: $first) { edges { cursor node { ${TRACE} } }
      pageInfo { hasNextPage endCursor } } }`, { flowId, first });
  return data.flowTraces;
}
