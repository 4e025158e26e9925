/** A node on the canvas: its type, label, one input handle and a handle per named output port,
 * with its problems (deploy, config) and, after a run, what happened there. */

import { Handle, type NodeProps, Position } from "@xyflow/react";
import { memo } from "react";
import { categoryColor } from "./colors";
import { type CairnNode, INPUT_HANDLE } from "./graph";

function FlowNodeViewInner({ id, data, selected }: NodeProps<CairnNode>) {
  const { nodeType, run, problems, configErrors } = data;
  const outputs = nodeType?.outputs ?? [];
  const hasInput = nodeType ? nodeType.inputs.length > 0 : true;
  const state = problems.length ? "problem" : run?.error ? "failed" : run ? "ran" : configErrors.length ? "incomplete"
    : "";
  const title = nodeType?.name ?? data.type;
  return (
    <div className={`flow-node ${state} ${selected ? "selected" : ""}`} data-node-type={data.type}
      style={{ borderTopColor: categoryColor(nodeType?.category ?? "") }}>
      {hasInput && <Handle type="target" position={Position.Left} id={INPUT_HANDLE} className="handle-in" />}
      <div className="flow-node-head">
        <span className="flow-node-title">{data.label || title}</span>
        {run && (
          <span className={`run-badge ${run.error ? "bad" : "ok"}`} title={run.error ?? "ran"}>
            {run.error ? "✗" : "✓"} {run.steps.map((step) => step.step).join(",")}
          </span>
        )}
      </div>
      <div className="flow-node-sub">
        {data.label ? `${title} · ` : ""}<code>{id}</code>
      </div>
      {!nodeType && <div className="flow-node-issue">Unknown node type {data.type}</div>}
      {nodeType?.disabled && <div className="flow-node-issue">Disabled: {nodeType.disabled}</div>}
      {problems.map((problem) => (
        <div key={problem.code + problem.message} className="flow-node-issue" title={problem.hint}>
          {problem.message}
        </div>
      ))}
      {!problems.length && configErrors.length > 0 && (
        <div className="flow-node-warn" title={configErrors.join("\n")}>⚠ {configErrors[0]}</div>
      )}
      {run?.error && <div className="flow-node-issue">{run.error}</div>}
      {outputs.length > 0 && (
        <ul className="flow-node-ports">
          {outputs.map((port) => (
            <li key={port} className={run?.ports.includes(port) ? "port followed" : "port"}>
              <span>{port}</span>
              <Handle type="source" position={Position.Right} id={port} className="handle-out" />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const FlowNodeView = memo(FlowNodeViewInner);
export const NODE_TYPES = { cairn: FlowNodeView };
