/** Dry-run the draft on a stored or hand-written event; the result shows on the canvas. */

import { useState } from "react";
import { dryRunFlow } from "../../../api/flows";
import { listEvents } from "../../../api/profiles";
import type { DryRunResult, FlowGraph, JSONValue } from "../../../api/types";
import { ErrorBox } from "../../../components/Feedback";
import { JsonView } from "../../../components/JsonView";
import { formatDate, shortId } from "../../../lib/format";
import { useAsync } from "../../../lib/useAsync";
import type { ShownRun } from "./useFlowEditor";

const SAMPLE = JSON.stringify({ type: "Order Completed", properties: { total: 120 } }, null, 2);

export function TestRunPanel(props: { doc: FlowGraph; onRun: (run: ShownRun | null) => void }) {
  const [mode, setMode] = useState<"written" | "stored">("written");
  const [eventText, setEventText] = useState(SAMPLE);
  const [eventId, setEventId] = useState("");
  const [profileId, setProfileId] = useState("");
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const events = useAsync(() => (mode === "stored" ? listEvents(null, 30) : Promise.resolve([])), [mode]);

  const run = async () => {
    setError(null);
    let event: JSONValue | undefined;
    if (mode === "written") {
      try {
        event = JSON.parse(eventText) as JSONValue;
      } catch (reason) {
        setError(`The event is not valid JSON: ${String(reason)}`);
        return;
      }
    } else if (!eventId) {
      setError("Pick a stored event first.");
      return;
    }
    setRunning(true);
    try {
      const answer = await dryRunFlow({ graph: props.doc, event, eventId: mode === "stored" ? eventId : undefined,
        profileId: profileId.trim() || undefined });
      if (answer.__typename === "DryRunResult") {
        setResult(answer);
        props.onRun({ kind: "dry-run", trace: answer.trace });
      } else {
        const details = answer.__typename === "InvalidInput" ? answer.errors.map((e) => `${e.field}: ${e.message}`)
          : [];
        setError([answer.message, ...details].join(" — "));
      }
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="test-run" aria-label="Test run">
      <p className="muted small">Runs the draft as drawn (saved or not). Nothing is saved, sent or called.</p>
      <fieldset className="inline">
        <label><input type="radio" name="event-mode" checked={mode === "written"}
          onChange={() => setMode("written")} /> Hand-written event</label>
        <label><input type="radio" name="event-mode" checked={mode === "stored"}
          onChange={() => setMode("stored")} /> Stored event</label>
      </fieldset>
      {mode === "written" ? (
        <>
          <label htmlFor="dry-run-event">Event (JSON: type, properties, …)</label>
          <textarea id="dry-run-event" rows={6} className="mono" value={eventText} spellCheck={false}
            onChange={(event) => setEventText(event.target.value)} />
        </>
      ) : (
        <>
          <label htmlFor="dry-run-stored">Stored event</label>
          {events.error && <ErrorBox error={events.error} />}
          <select id="dry-run-stored" value={eventId} onChange={(event) => setEventId(event.target.value)}>
            <option value="">{events.loading ? "Loading…" : "Choose an event"}</option>
            {(events.data ?? []).map((event) => (
              <option key={event.id} value={event.id}>
                {event.type} · {formatDate(event.occurredAt)} · profile {shortId(event.profileId)}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor="dry-run-profile">Profile id (optional: a copy of it is used)</label>
      <input id="dry-run-profile" value={profileId} onChange={(event) => setProfileId(event.target.value)}
        placeholder="blank profile" />
      <div className="row">
        <button type="button" className="primary" onClick={run} disabled={running}>
          {running ? "Running…" : "Run test"}</button>
        {result && <button type="button" onClick={() => { setResult(null); props.onRun(null); }}>Clear</button>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {result && <DryRunSummary result={result} />}
    </div>
  );
}

function DryRunSummary({ result }: { result: DryRunResult }) {
  const { trace } = result;
  return (
    <section className="dry-run-result" aria-label="Test run result">
      <p className={trace.status === "ok" ? "notice ok" : "notice bad"}>
        Run {trace.status}: {trace.steps.length} step(s), {trace.errorCount} error(s), {trace.durationMs.toFixed(1)} ms
        {trace.error ? ` — ${trace.error}` : ""}
      </p>
      {result.problems.length > 0 && (
        <ul className="problems">{result.problems.map((p) => <li key={p.code + p.message}>{p.message}</li>)}</ul>
      )}
      <p className="muted small">Click a node on the canvas to see its input, output and changes.</p>
      <ol className="steps">
        {trace.steps.map((step) => (
          <li key={step.step}><code>{step.nodeId}</code> → {step.outputs.map((o) => o.port).join(", ") || "end"}
            {step.error && <span className="error"> ✗ {step.error}</span>}</li>
        ))}
      </ol>
      <JsonView label="Profile changes" value={result.changes} />
      <JsonView label="Calls recorded (not sent)" value={result.calls} open={false} />
      <JsonView label="UX instructions" value={result.ux} open={false} />
      <JsonView label="Profile after the run" value={result.profile} open={false} />
    </section>
  );
}
