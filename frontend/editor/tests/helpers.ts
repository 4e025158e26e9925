import type { FlowGraph, NodeType } from "../src/api/types";
import nodeTypesJson from "./fixtures/nodeTypes.json";

/** Node types as the server declares them (a subset of the built-in catalogue). */
export const NODE_TYPES = nodeTypesJson as unknown as NodeType[];

export function nodeType(id: string): NodeType {
  const found = NODE_TYPES.find((type) => type.id === id);
  if (!found) throw new Error(`no fixture node type ${id}`);
  return found;
}

/** start → condition → (true) set_trait */
export const THREE_NODES: FlowGraph = {
  nodes: [
    { id: "start", type: "cairn.start", config: {}, position: { x: 0, y: 0 }, label: null },
    { id: "condition", type: "cairn.condition", config: { expression: "event.properties.total >= 100" },
      position: { x: 240, y: 0 }, label: "Big order?" },
    { id: "set_trait", type: "cairn.set_trait", config: { name: "vip", mode: "value", value: true },
      position: { x: 480, y: -40 }, label: null },
  ],
  edges: [
    { fromNode: "start", fromPort: "out", toNode: "condition" },
    { fromNode: "condition", fromPort: "true", toNode: "set_trait" },
  ],
};
