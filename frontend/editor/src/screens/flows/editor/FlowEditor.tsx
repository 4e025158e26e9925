/** The flow editor: palette, canvas and a side panel (node, test run, traces, rules, details). */

import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Flow, FlowNode, NodeType } from "../../../api/types";
import { Notice } from "../../../components/Feedback";
import { setLeaveGuard } from "../../../router";
import { Tabs } from "../../../components/Tabs";
import { Canvas } from "./Canvas";
import { FlowInfoPanel } from "./FlowInfoPanel";
import { FlowRulesPanel } from "./FlowRulesPanel";
import { NodePanel } from "./NodePanel";
import { Palette } from "./Palette";
import { TestRunPanel } from "./TestRunPanel";
import { Toolbar } from "./Toolbar";
import { TracesPanel } from "./TracesPanel";
import { addNode, catalogById, newNodeId } from "./graph";
import { validateConfig } from "../../../forms/schemaForm";
import { followedEdges, runsByNode } from "./trace";
import { useFlowEditor } from "./useFlowEditor";

type Panel = "node" | "test" | "traces" | "rules" | "details";
const PANELS: { id: Panel; label: string }[] = [
  { id: "node", label: "Node" }, { id: "test", label: "Test run" }, { id: "traces", label: "Traces" },
  { id: "rules", label: "Rules" }, { id: "details", label: "Details" },
];

export function FlowEditor(props: { flow: Flow; nodeTypes: NodeType[] }) {
  return (
    <ReactFlowProvider>
      <FlowEditorInner {...props} />
    </ReactFlowProvider>
  );
}

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return Boolean(element && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName)));
}

function configErrors(node: FlowNode, nodeType: NodeType | undefined): string[] {
  return nodeType ? validateConfig(nodeType.configSchema, node.config).messages : [];
}

function FlowEditorInner({ flow: initial, nodeTypes }: { flow: Flow; nodeTypes: NodeType[] }) {
  const editor = useFlowEditor(initial);
  const { doc, change, problems, run } = editor;
  const catalog = useMemo(() => catalogById(nodeTypes), [nodeTypes]);
  const [selected, setSelected] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>("node");
  const canvasBox = useRef<HTMLDivElement>(null);
  const { screenToFlowPosition } = useReactFlow();

  const runs = useMemo(() => runsByNode(run?.trace), [run]);
  const followed = useMemo(() => followedEdges(doc, runs), [doc, runs]);
  const decorations = useMemo(() => ({ problems, runs, configErrors }), [problems, runs]);

  const select = useCallback((id: string | null) => {
    setSelected(id);
    if (id) setPanel((current) => (current === "details" || current === "rules" ? "node" : current));
  }, []);

  const { setNotice } = editor;
  const refuse = useCallback((why: string) => setNotice({ ok: false, text: why }), [setNotice]);

  const addFromPalette = useCallback((nodeType: NodeType) => {
    const box = canvasBox.current?.getBoundingClientRect();
    const center = box ? { x: box.left + box.width / 2, y: box.top + box.height / 2 } : { x: 300, y: 200 };
    const at = screenToFlowPosition(center);
    const offset = (doc.nodes.length % 5) * 24;
    change((current) => addNode(current, nodeType, { x: Math.round(at.x + offset), y: Math.round(at.y + offset) }).doc);
    select(newNodeId(doc, nodeType.id));
  }, [change, doc, screenToFlowPosition, select]);

  useEffect(() => {
    const keydown = (event: KeyboardEvent) => {
      if (isTyping(event.target) || !(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) editor.undo();
      else if ((key === "z" && event.shiftKey) || key === "y") editor.redo();
      else if (key === "s") void editor.save();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", keydown);
    return () => window.removeEventListener("keydown", keydown);
  }, [editor]);

  useEffect(() => {
    if (!editor.dirty) return undefined;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    setLeaveGuard(() => window.confirm("The draft has unsaved changes. Leave without saving them?"));
    return () => {
      window.removeEventListener("beforeunload", warn);
      setLeaveGuard(null);
    };
  }, [editor.dirty]);

  const unplaced = problems.filter((problem) => !problem.nodeId || !doc.nodes.some((n) => n.id === problem.nodeId));
  const selectedNode = selected ? doc.nodes.find((n) => n.id === selected) : undefined;

  return (
    <div className="flow-editor">
      <Toolbar editor={editor} />
      <Notice notice={editor.notice} />
      {unplaced.length > 0 && (
        <ul className="problems banner" aria-label="Flow problems">
          {unplaced.map((p) => <li key={p.code + p.message}><strong>{p.code}</strong>: {p.message} {p.hint}</li>)}
        </ul>
      )}
      <div className="flow-body">
        <Palette nodeTypes={nodeTypes} onAdd={addFromPalette} />
        <div className="canvas-box" ref={canvasBox}>
          {doc.nodes.length === 0 && <p className="canvas-hint">Drag a Start node here from the palette, then the
            nodes that follow; connect an output port to the next node's input.</p>}
          <Canvas doc={doc} catalog={catalog} decorations={decorations} followed={followed} selectedId={selected}
            change={change} onSelect={select}
            onRefused={refuse} />
          {run && <div className="run-banner">Showing {run.kind === "dry-run" ? "test run" : "trace"}: {run.trace.status}
            {" "}({run.trace.steps.length} steps) <button type="button" className="small"
            onClick={() => editor.setRun(null)}>Hide</button></div>}
        </div>
        <aside className="side-panel">
          <Tabs label="Flow panels" tabs={PANELS} active={panel} onChange={setPanel} />
          <div className="side-panel-body">
            {panel === "node" && (selectedNode ? (
              <NodePanel doc={doc} nodeId={selectedNode.id} nodeType={catalog.get(selectedNode.type)} change={change}
                problems={problems.filter((p) => p.nodeId === selectedNode.id)} run={runs.get(selectedNode.id)}
                runShown={Boolean(run)} />
            ) : <p className="muted">Select a node to configure it. Delete removes the selection; Ctrl+Z undoes.</p>)}
            {panel === "test" && <TestRunPanel doc={doc} onRun={editor.setRun} />}
            {panel === "traces" && <TracesPanel flowId={editor.flow.id} shown={run} onRun={editor.setRun} />}
            {panel === "rules" && <FlowRulesPanel flow={editor.flow} />}
            {panel === "details" && <FlowInfoPanel flow={editor.flow} onRename={editor.rename} />}
          </div>
        </aside>
      </div>
    </div>
  );
}
