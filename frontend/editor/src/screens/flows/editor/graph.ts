/** The flow document (the server's graph) and the canvas's nodes and edges, both ways,
 * plus the pure edits the editor makes to a document. */

import type { Edge, Node } from "@xyflow/react";
import type { FlowEdge, FlowGraph, FlowNode, GraphProblem, JSONObject, NodeType, Position } from "../../../api/types";
import type { NodeRun } from "./trace";

export const NODE_KIND = "cairn";
export const INPUT_HANDLE = "in";

export interface CairnNodeData extends Record<string, unknown> {
  type: string;
  config: JSONObject;
  label: string | null;
  nodeType: NodeType | undefined;
  problems: GraphProblem[];
  configErrors: string[];
  run: NodeRun | undefined;
}

export type CairnNode = Node<CairnNodeData, typeof NODE_KIND>;

export interface Decorations {
  problems?: GraphProblem[];
  configErrors?: (node: FlowNode, nodeType: NodeType | undefined) => string[];
  runs?: Map<string, NodeRun>;
}

export const EMPTY_GRAPH: FlowGraph = { nodes: [], edges: [] };

export function edgeId(edge: FlowEdge): string {
  return `${edge.fromNode}:${edge.fromPort}->${edge.toNode}`;
}

export function catalogById(types: NodeType[]): Map<string, NodeType> {
  return new Map(types.map((type) => [type.id, type]));
}

/** The canvas nodes for a document; `previous` keeps selection and measured sizes across rebuilds. */
export function toCanvasNodes(doc: FlowGraph, catalog: Map<string, NodeType>, decorations: Decorations = {},
  previous: CairnNode[] = []): CairnNode[] {
  const before = new Map(previous.map((node) => [node.id, node]));
  return doc.nodes.map((node) => {
    const nodeType = catalog.get(node.type);
    const old = before.get(node.id);
    return {
      id: node.id,
      type: NODE_KIND,
      position: { x: node.position.x, y: node.position.y },
      selected: old?.selected ?? false,
      measured: old?.measured,
      data: {
        type: node.type,
        config: node.config,
        label: node.label,
        nodeType,
        problems: (decorations.problems ?? []).filter((problem) => problem.nodeId === node.id),
        configErrors: decorations.configErrors?.(node, nodeType) ?? [],
        run: decorations.runs?.get(node.id),
      },
    };
  });
}

export function toCanvasEdges(doc: FlowGraph, followed: Set<string> = new Set(), selected: Set<string> = new Set()):
Edge[] {
  return doc.edges.map((edge) => {
    const id = edgeId(edge);
    return {
      id,
      source: edge.fromNode,
      sourceHandle: edge.fromPort,
      target: edge.toNode,
      targetHandle: INPUT_HANDLE,
      selected: selected.has(id),
      animated: followed.has(id),
      className: followed.has(id) ? "followed" : undefined,
      label: edge.fromPort === "out" ? undefined : edge.fromPort,
    };
  });
}

/** The document the canvas shows (positions from the canvas, the rest from its nodes' data). */
export function fromCanvas(nodes: Pick<CairnNode, "id" | "position" | "data">[], edges: Edge[]): FlowGraph {
  return {
    nodes: nodes.map((node) => ({
      id: node.id,
      type: node.data.type,
      config: node.data.config,
      position: { x: node.position.x, y: node.position.y },
      label: node.data.label,
    })),
    edges: edges.map((edge) => ({
      fromNode: edge.source,
      fromPort: edge.sourceHandle ?? "out",
      toNode: edge.target,
    })),
  };
}

/** A node id for a new node of `typeId`: the type's short name, numbered when taken. */
export function newNodeId(doc: FlowGraph, typeId: string): string {
  const base = (typeId.split(".").pop() || "node").replace(/[^A-Za-z0-9_-]/g, "_");
  const taken = new Set(doc.nodes.map((node) => node.id));
  if (!taken.has(base)) return base;
  let number = 2;
  while (taken.has(`${base}_${number}`)) number += 1;
  return `${base}_${number}`;
}

/** The config a new node starts with: the schema's top-level defaults. */
export function defaultConfig(nodeType: NodeType): JSONObject {
  const properties = (nodeType.configSchema.properties ?? {}) as Record<string, { default?: unknown }>;
  const config: JSONObject = {};
  for (const [name, schema] of Object.entries(properties)) {
    if (schema && typeof schema === "object" && "default" in schema && schema.default !== null) {
      config[name] = schema.default as JSONObject[string];
    }
  }
  return config;
}

export function addNode(doc: FlowGraph, nodeType: NodeType, position: Position): { doc: FlowGraph; id: string } {
  const id = newNodeId(doc, nodeType.id);
  const node: FlowNode = { id, type: nodeType.id, config: defaultConfig(nodeType), position, label: null };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

export function removeElements(doc: FlowGraph, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []):
FlowGraph {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return doc;
  return {
    nodes: doc.nodes.filter((node) => !nodes.has(node.id)),
    edges: doc.edges.filter((edge) => !edges.has(edgeId(edge)) && !nodes.has(edge.fromNode)
      && !nodes.has(edge.toNode)),
  };
}

export interface Connection {
  source: string | null;
  sourceHandle?: string | null;
  target: string | null;
}

/** Why a connection cannot be made (null: it can). */
export function connectionProblem(doc: FlowGraph, catalog: Map<string, NodeType>, connection: Connection):
string | null {
  const { source, target } = connection;
  const port = connection.sourceHandle ?? "out";
  const from = doc.nodes.find((node) => node.id === source);
  const to = doc.nodes.find((node) => node.id === target);
  if (!from || !to) return "both ends must be nodes of the flow";
  const fromType = catalog.get(from.type);
  const toType = catalog.get(to.type);
  if (fromType && !fromType.outputs.includes(port)) return `${fromType.name} has no output port '${port}'`;
  if (toType && toType.inputs.length === 0) return `${toType.name} is a start node: it has no input`;
  if (doc.edges.some((edge) => edge.fromNode === source && edge.fromPort === port && edge.toNode === target)) {
    return "these nodes are already connected by this port";
  }
  return null;
}

export function connect(doc: FlowGraph, connection: Connection): FlowGraph {
  if (!connection.source || !connection.target) return doc;
  const edge: FlowEdge = { fromNode: connection.source, fromPort: connection.sourceHandle ?? "out",
    toNode: connection.target };
  if (doc.edges.some((e) => edgeId(e) === edgeId(edge))) return doc;
  return { ...doc, edges: [...doc.edges, edge] };
}

export function moveNodes(doc: FlowGraph, positions: Map<string, Position>): FlowGraph {
  let changed = false;
  const nodes = doc.nodes.map((node) => {
    const position = positions.get(node.id);
    if (!position || (position.x === node.position.x && position.y === node.position.y)) return node;
    changed = true;
    return { ...node, position: { x: position.x, y: position.y } };
  });
  return changed ? { ...doc, nodes } : doc;
}

export function updateNode(doc: FlowGraph, id: string, changes: Partial<Pick<FlowNode, "config" | "label">>):
FlowGraph {
  return { ...doc, nodes: doc.nodes.map((node) => (node.id === id ? { ...node, ...changes } : node)) };
}
