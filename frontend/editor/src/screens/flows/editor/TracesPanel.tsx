/** The flow's recent runs (traces); pick one to see it on the canvas. */

import { flowTraces } from "../../../api/flows";
import { Empty, ErrorBox } from "../../../components/Feedback";
import { formatDate, shortId } from "../../../lib/format";
import { useAsync, useInterval } from "../../../lib/useAsync";
import type { ShownRun } from "./useFlowEditor";

export function TracesPanel(props: { flowId: string; shown: ShownRun | null; onRun: (run: ShownRun | null) => void }) {
  const traces = useAsync(() => flowTraces(props.flowId, 25), [props.flowId]);
  useInterval(traces.reload, 5000);
  const list = traces.data?.edges.map((edge) => edge.node) ?? [];
  return (
    <div className="traces" aria-label="Traces">
      <div className="row">
        <button type="button" onClick={traces.reload}>Refresh</button>
        {props.shown?.kind === "trace" && <button type="button" onClick={() => props.onRun(null)}>Clear</button>}
        <span className="muted small">Refreshes every 5 s.</span>
      </div>
      {traces.error && <ErrorBox error={traces.error} onRetry={traces.reload} />}
      {!traces.loading && list.length === 0 && <Empty>No runs yet. Deploy the flow and add a rule; each event
        it runs for leaves a trace here.</Empty>}
      <ul className="trace-list">
        {list.map((trace) => (
          <li key={trace.id}>
            <button type="button" aria-pressed={props.shown?.trace.id === trace.id}
              className={`trace-item ${trace.status === "ok" ? "ok" : "bad"}`}
              onClick={() => props.onRun({ kind: "trace", trace })}>
              <strong>{trace.eventType}</strong> <span className="status">{trace.status}</span>
              <span className="muted small"> v{trace.flowVersion ?? "?"} · {trace.steps.length} steps ·
                {" "}{formatDate(trace.startedAt)}{trace.profileId ? ` · ${shortId(trace.profileId)}` : ""}</span>
              {trace.error && <span className="error small"> {trace.error}</span>}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
