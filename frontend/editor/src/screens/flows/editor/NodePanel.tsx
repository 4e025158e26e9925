/** The selected node: label, configuration form, problems, docs, and what it did in the shown run. */

import type { FlowGraph, GraphProblem, JSONObject, NodeType } from "../../../api/types";
import { Markdown } from "../../../components/Markdown";
import { ConfigForm } from "../../../forms/ConfigForm";
import { StepDetails } from "./StepDetails";
import { removeElements, updateNode } from "./graph";
import type { NodeRun } from "./trace";

export function NodePanel(props: { doc: FlowGraph; nodeId: string; nodeType: NodeType | undefined;
  problems: GraphProblem[]; run: NodeRun | undefined; runShown: boolean;
  change: (edit: (doc: FlowGraph) => FlowGraph, key?: string | null) => void }) {
  const { doc, nodeId, nodeType, change } = props;
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return <p className="muted">The node was removed.</p>;
  const setConfig = (config: JSONObject) => change((d) => updateNode(d, nodeId, { config }), `config:${nodeId}`);
  const setLabel = (label: string) => change((d) => updateNode(d, nodeId, { label: label || null }), `label:${nodeId}`);
  return (
    <div className="node-panel" aria-label="Node settings">
      <header>
        <h2>{nodeType?.name ?? node.type}</h2>
        <p className="muted small"><code>{node.id}</code> · <code>{node.type}</code></p>
        {nodeType && <p>{nodeType.description}</p>}
      </header>
      {props.problems.map((problem) => (
        <div key={problem.code + problem.message} className="error-box">
          <strong>{problem.code}</strong>: {problem.message}
          {problem.hint && <p className="small">{problem.hint}</p>}
        </div>
      ))}
      {props.runShown && (props.run ? <StepDetails run={props.run} />
        : <p className="muted">This node did not run.</p>)}
      <label htmlFor="node-label">Label</label>
      <input id="node-label" value={node.label ?? ""} placeholder={nodeType?.name ?? ""}
        onChange={(event) => setLabel(event.target.value)} />
      {nodeType ? (
        <ConfigForm key={nodeId} schema={nodeType.configSchema} config={node.config} onChange={setConfig}
          idPrefix={`cfg_${nodeId}`} />
      ) : <p className="error">Unknown node type {node.type}: is its plugin installed?</p>}
      {nodeType?.docs && (
        <details className="docs">
          <summary>Documentation</summary>
          <Markdown text={nodeType.docs} />
        </details>
      )}
      <button type="button" className="danger"
        onClick={() => change((d) => removeElements(d, [nodeId]))}>Delete node</button>
    </div>
  );
}
