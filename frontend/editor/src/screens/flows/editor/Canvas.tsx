/** The graph canvas: nodes and edges of the document; drops, connections, moves and deletions
 * become document edits (one undo step each). */

import {
  Background, type Connection as FlowConnection, Controls, type Edge, type EdgeChange, MiniMap, type NodeChange,
  ReactFlow, applyNodeChanges, useReactFlow,
} from "@xyflow/react";
import { type DragEvent, useCallback, useEffect, useMemo, useState } from "react";
import type { FlowGraph, NodeType } from "../../../api/types";
import { NODE_TYPES } from "./FlowNodeView";
import { DRAG_TYPE } from "./Palette";
import {
  type CairnNode, type Decorations, addNode, connect, connectionProblem, moveNodes, newNodeId, removeElements,
  toCanvasEdges, toCanvasNodes,
} from "./graph";

const DELETE_KEYS = ["Backspace", "Delete"];
const FIT_VIEW = { maxZoom: 1 };

export interface CanvasProps {
  doc: FlowGraph;
  catalog: Map<string, NodeType>;
  decorations: Decorations;
  followed: Set<string>;
  selectedId: string | null;
  change: (edit: (doc: FlowGraph) => FlowGraph, key?: string | null) => void;
  onSelect: (nodeId: string | null) => void;
  onRefused: (why: string) => void;
}

export function Canvas(props: CanvasProps) {
  const { doc, catalog, decorations, followed, selectedId, change, onSelect, onRefused } = props;
  const { screenToFlowPosition } = useReactFlow();
  const [nodes, setNodes] = useState<CairnNode[]>(() => toCanvasNodes(doc, catalog, decorations));
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());
  // Fit the view to a flow that has nodes when it opens; an empty one keeps its viewport as nodes drop in.
  const [fitOnOpen] = useState(() => doc.nodes.length > 0);

  useEffect(() => {
    setNodes((previous) => toCanvasNodes(doc, catalog, decorations, previous));
  }, [doc, catalog, decorations]);

  useEffect(() => {
    if (!selectedId) return;
    setNodes((current) => (current.some((n) => n.id === selectedId && !n.selected)
      ? current.map((n) => ({ ...n, selected: n.id === selectedId })) : current));
  }, [selectedId, nodes.length]);

  const edges = useMemo(() => toCanvasEdges(doc, followed, selectedEdges), [doc, followed, selectedEdges]);

  const onNodesChange = useCallback((changes: NodeChange<CairnNode>[]) => {
    setNodes((current) => applyNodeChanges(changes.filter((c) => c.type !== "remove"), current));
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<Edge>[]) => {
    const selects = changes.filter((c) => c.type === "select");
    if (!selects.length) return;
    setSelectedEdges((current) => {
      const next = new Set(current);
      for (const c of selects) {
        if (c.selected) next.add(c.id);
        else next.delete(c.id);
      }
      return next;
    });
  }, []);

  const onDelete = useCallback(({ nodes: gone, edges: cut }: { nodes: CairnNode[]; edges: Edge[] }) => {
    change((current) => removeElements(current, gone.map((n) => n.id), cut.map((e) => e.id)));
    setSelectedEdges(new Set());
  }, [change]);

  const onConnect = useCallback((connection: FlowConnection) => change((current) => connect(current, connection)),
    [change]);

  const isValidConnection = useCallback((connection: FlowConnection | Edge) => {
    const problem = connectionProblem(doc, catalog, {
      source: connection.source, sourceHandle: connection.sourceHandle, target: connection.target });
    return problem === null;
  }, [doc, catalog]);

  const onNodeDragStop = useCallback((_event: unknown, _node: CairnNode, moved: CairnNode[]) => {
    change((current) => moveNodes(current, new Map(moved.map((n) => [n.id, n.position]))));
  }, [change]);

  const onSelectionChange = useCallback(({ nodes: chosen }: { nodes: CairnNode[] }) => {
    onSelect(chosen.length === 1 ? chosen[0].id : null);
  }, [onSelect]);

  const onDragOver = useCallback((event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback((event: DragEvent) => {
    event.preventDefault();
    const typeId = event.dataTransfer.getData(DRAG_TYPE) || event.dataTransfer.getData("text/plain");
    const nodeType = catalog.get(typeId);
    if (!nodeType) {
      if (typeId) onRefused(`Unknown node type ${typeId}`);
      return;
    }
    const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
    const at = { x: Math.round(position.x), y: Math.round(position.y) };
    change((current) => addNode(current, nodeType, at).doc);
    onSelect(newNodeId(doc, nodeType.id));
  }, [catalog, change, doc, onRefused, onSelect, screenToFlowPosition]);

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="flow-canvas">
      <ReactFlow<CairnNode, Edge> nodes={nodes} edges={edges} nodeTypes={NODE_TYPES} onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange} onDelete={onDelete} onConnect={onConnect} isValidConnection={isValidConnection}
        onNodeDragStop={onNodeDragStop} deleteKeyCode={DELETE_KEYS} fitView={fitOnOpen}
        fitViewOptions={FIT_VIEW}
        onSelectionChange={onSelectionChange} minZoom={0.2} maxZoom={2}>
        <Background gap={16} />
        <Controls />
        <MiniMap pannable zoomable />
      </ReactFlow>
    </div>
  );
}
