import { describe, expect, it } from "vitest";
import {
  addNode, catalogById, connect, connectionProblem, defaultConfig, edgeId, fromCanvas, moveNodes, newNodeId,
  removeElements, toCanvasEdges, toCanvasNodes, updateNode,
} from "../src/screens/flows/editor/graph";
import { NODE_TYPES, THREE_NODES, nodeType } from "./helpers";

const catalog = catalogById(NODE_TYPES);

describe("graph ↔ flow document", () => {
  it("converts a flow document to canvas nodes and edges and back unchanged", () => {
    const nodes = toCanvasNodes(THREE_NODES, catalog);
    const edges = toCanvasEdges(THREE_NODES);
    expect(fromCanvas(nodes, edges)).toEqual(THREE_NODES);
  });

  it("gives each canvas node its node type, and each edge its port as source handle", () => {
    const [start, condition] = toCanvasNodes(THREE_NODES, catalog);
    expect(start.type).toBe("cairn");
    expect(start.data.nodeType?.isStart).toBe(true);
    expect(condition.data.label).toBe("Big order?");
    const edge = toCanvasEdges(THREE_NODES)[1];
    expect(edge).toMatchObject({ source: "condition", sourceHandle: "true", target: "set_trait", targetHandle: "in",
      id: "condition:true->set_trait", label: "true" });
  });

  it("takes positions from the canvas (a moved node)", () => {
    const nodes = toCanvasNodes(THREE_NODES, catalog).map((node) =>
      node.id === "start" ? { ...node, position: { x: -50, y: 30 } } : node);
    expect(fromCanvas(nodes, toCanvasEdges(THREE_NODES)).nodes[0].position).toEqual({ x: -50, y: 30 });
  });

  it("keeps selection across rebuilds and decorates nodes with their problems and run", () => {
    const first = toCanvasNodes(THREE_NODES, catalog).map((n) => ({ ...n, selected: n.id === "condition" }));
    const problems = [{ nodeId: "set_trait", code: "invalid_config", message: "name is required", hint: "" }];
    const again = toCanvasNodes(THREE_NODES, catalog, { problems }, first);
    expect(again.find((n) => n.id === "condition")?.selected).toBe(true);
    expect(again.find((n) => n.id === "set_trait")?.data.problems).toEqual(problems);
    expect(again.find((n) => n.id === "start")?.data.problems).toEqual([]);
  });

  it("marks unknown node types", () => {
    const doc = { nodes: [{ id: "x", type: "acme.gone", config: {}, position: { x: 0, y: 0 }, label: null }],
      edges: [] };
    expect(toCanvasNodes(doc, catalog)[0].data.nodeType).toBeUndefined();
  });
});

describe("document edits", () => {
  it("names new nodes after their type, numbered when taken", () => {
    expect(newNodeId(THREE_NODES, "cairn.delay")).toBe("delay");
    expect(newNodeId(THREE_NODES, "cairn.condition")).toBe("condition_2");
    const { doc, id } = addNode(THREE_NODES, nodeType("cairn.condition"), { x: 1, y: 2 });
    expect(id).toBe("condition_2");
    expect(newNodeId(doc, "cairn.condition")).toBe("condition_3");
  });

  it("starts a new node with the schema's defaults", () => {
    expect(defaultConfig(nodeType("cairn.set_trait"))).toEqual({ mode: "value", only_if_empty: false });
    expect(defaultConfig(nodeType("cairn.start"))).toEqual({});
    const { doc } = addNode({ nodes: [], edges: [] }, nodeType("cairn.delay"), { x: 5, y: 6 });
    expect(doc.nodes[0]).toEqual({ id: "delay", type: "cairn.delay", config: { unit: "minutes" },
      position: { x: 5, y: 6 }, label: null });
  });

  it("removes a node with the edges touching it", () => {
    const doc = removeElements(THREE_NODES, ["condition"]);
    expect(doc.nodes.map((n) => n.id)).toEqual(["start", "set_trait"]);
    expect(doc.edges).toEqual([]);
  });

  it("removes an edge alone", () => {
    const doc = removeElements(THREE_NODES, [], [edgeId(THREE_NODES.edges[0])]);
    expect(doc.nodes).toHaveLength(3);
    expect(doc.edges).toEqual([THREE_NODES.edges[1]]);
  });

  it("leaves the document as it is when nothing is removed or moved", () => {
    expect(removeElements(THREE_NODES, [])).toBe(THREE_NODES);
    expect(moveNodes(THREE_NODES, new Map([["start", { x: 0, y: 0 }]]))).toBe(THREE_NODES);
  });

  it("connects an output port to a node once", () => {
    const connection = { source: "condition", sourceHandle: "false", target: "set_trait" };
    const doc = connect(THREE_NODES, connection);
    expect(doc.edges.at(-1)).toEqual({ fromNode: "condition", fromPort: "false", toNode: "set_trait" });
    expect(connect(doc, connection)).toBe(doc);
  });

  it("refuses connections to a start node, from unknown ports, and duplicates", () => {
    expect(connectionProblem(THREE_NODES, catalog, { source: "condition", sourceHandle: "false", target: "set_trait" }))
      .toBeNull();
    expect(connectionProblem(THREE_NODES, catalog, { source: "condition", sourceHandle: "true", target: "start" }))
      .toMatch(/start node/);
    expect(connectionProblem(THREE_NODES, catalog, { source: "condition", sourceHandle: "maybe", target: "set_trait" }))
      .toMatch(/no output port 'maybe'/);
    expect(connectionProblem(THREE_NODES, catalog, { source: "start", sourceHandle: "out", target: "condition" }))
      .toMatch(/already connected/);
    expect(connectionProblem(THREE_NODES, catalog, { source: "start", sourceHandle: "out", target: "nowhere" }))
      .toMatch(/both ends/);
  });

  it("changes one node's config without touching the others", () => {
    const doc = updateNode(THREE_NODES, "set_trait", { config: { name: "tier" } });
    expect(doc.nodes[2].config).toEqual({ name: "tier" });
    expect(doc.nodes[1]).toBe(THREE_NODES.nodes[1]);
  });
});
