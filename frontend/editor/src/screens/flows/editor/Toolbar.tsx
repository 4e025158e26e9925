/** Save, deploy, undo/redo, fit — and the flow's state. */

import { useReactFlow } from "@xyflow/react";
import { Link } from "../../../router";
import type { FlowEditorState } from "./useFlowEditor";

export function Toolbar({ editor }: { editor: FlowEditorState }) {
  const { fitView } = useReactFlow();
  const { flow } = editor;
  return (
    <div className="toolbar" role="toolbar" aria-label="Flow tools">
      <Link to="/flows" className="muted">← Flows</Link>
      <h1 className="flow-title">{flow.name}</h1>
      <span className={`badge ${flow.deployedVersion ? "ok" : ""}`}>
        {flow.deployedVersion ? `live: v${flow.deployedVersion}` : "not deployed"}</span>
      {editor.dirty && <span className="badge warn">unsaved changes</span>}
      <span className="spacer" />
      <button type="button" onClick={editor.undo} disabled={!editor.canUndo} title="Undo (Ctrl+Z)">↶ Undo</button>
      <button type="button" onClick={editor.redo} disabled={!editor.canRedo} title="Redo (Ctrl+Shift+Z)">↷ Redo</button>
      <button type="button" onClick={() => fitView({ duration: 200, maxZoom: 1 })} title="Fit the flow in view">
        Fit</button>
      <button type="button" onClick={() => void editor.save()} disabled={editor.busy}>Save draft</button>
      <button type="button" className="primary" onClick={() => void editor.deploy()} disabled={editor.busy}>
        Deploy</button>
    </div>
  );
}
