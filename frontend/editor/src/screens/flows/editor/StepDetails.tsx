/** What one node did in a run: input, output ports with payloads, profile changes, logs, error. */

import { JsonView } from "../../../components/JsonView";
import type { NodeRun } from "./trace";

export function StepDetails({ run }: { run: NodeRun }) {
  return (
    <div className="step-details">
      {run.steps.map((step) => (
        <section key={step.step} className="step" aria-label={`Step ${step.step}`}>
          <h4>Step {step.step} <span className="muted small">{step.durationMs.toFixed(1)} ms</span></h4>
          {step.error && <p className="error">Error: {step.error}</p>}
          <p>Output: {step.outputs.length
            ? step.outputs.map((output) => <code key={output.port} className="port-name">{output.port}</code>)
            : <span className="muted">none (the path ends here)</span>}</p>
          <JsonView label="Input" value={step.input} open={false} />
          {step.outputs.map((output) => (
            <JsonView key={output.port} label={`Payload on ${output.port}`} value={output.payload} open={false} />
          ))}
          {Array.isArray(step.changes) && step.changes.length > 0
            ? <JsonView label="Profile changes" value={step.changes} />
            : <p className="muted small">No profile changes.</p>}
          {Array.isArray(step.ux) && step.ux.length > 0 && <JsonView label="UX" value={step.ux} />}
          {step.logs.length > 0 && <pre className="logs">{step.logs.join("\n")}</pre>}
        </section>
      ))}
    </div>
  );
}
