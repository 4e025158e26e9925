/** Create a rule: run a flow for the events of a type (from a source, when a condition holds). */

import { type FormEvent, useState } from "react";
import { createRule } from "../../api/rules";
import type { FlowSummary, Rule, Source } from "../../api/types";

export function RuleForm(props: { flows: FlowSummary[]; sources: Source[]; eventTypes: string[];
  flowId?: string; onCreated: (rule: Rule) => void }) {
  const [name, setName] = useState("");
  const [eventType, setEventType] = useState("");
  const [flowId, setFlowId] = useState(props.flowId ?? "");
  const [sourceId, setSourceId] = useState("");
  const [condition, setCondition] = useState("");
  const [enabled, setEnabled] = useState(true);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const result = await createRule({ name: name.trim(), eventType: eventType.trim(), flowId,
        sourceId: sourceId || null, condition: condition.trim() || null, enabled });
      if (result.__typename === "RuleSaved") {
        setErrors([]);
        setName("");
        setCondition("");
        props.onCreated(result.rule);
      } else if (result.__typename === "InvalidInput") {
        setErrors([result.message, ...result.errors.map((e) => `${e.field}: ${e.message}`)]);
      } else {
        setErrors([result.message]);
      }
    } catch (error) {
      setErrors([error instanceof Error ? error.message : String(error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="rule-form card" onSubmit={submit} aria-label="New rule">
      <h3>New rule</h3>
      <div className="grid2">
        <div>
          <label htmlFor="rule-event-type">Event type (* for any)</label>
          <input id="rule-event-type" list="rule-event-types" required value={eventType}
            onChange={(event) => setEventType(event.target.value)} placeholder="e.g. Order Completed" />
          <datalist id="rule-event-types">{props.eventTypes.map((t) => <option key={t} value={t} />)}</datalist>
        </div>
        {!props.flowId && (
          <div>
            <label htmlFor="rule-flow">Flow</label>
            <select id="rule-flow" required value={flowId} onChange={(event) => setFlowId(event.target.value)}>
              <option value="">Choose a flow</option>
              {props.flows.map((flow) => <option key={flow.id} value={flow.id}>{flow.name}</option>)}
            </select>
          </div>
        )}
        <div>
          <label htmlFor="rule-source">Source</label>
          <select id="rule-source" value={sourceId} onChange={(event) => setSourceId(event.target.value)}>
            <option value="">Any source</option>
            {props.sources.map((source) => <option key={source.id} value={source.id}>{source.name}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="rule-name">Name (optional)</label>
          <input id="rule-name" value={name} onChange={(event) => setName(event.target.value)} />
        </div>
      </div>
      <label htmlFor="rule-condition">Condition (optional; sees event, profile, session)</label>
      <input id="rule-condition" className="mono" value={condition} onChange={(event) => setCondition(event.target.value)}
        placeholder='e.g. event.properties.total >= 100' />
      <label className="checkbox"><input type="checkbox" checked={enabled}
        onChange={(event) => setEnabled(event.target.checked)} /> Enabled</label>
      {errors.length > 0 && <ul className="error" role="alert">{errors.map((e) => <li key={e}>{e}</li>)}</ul>}
      <button type="submit" className="primary" disabled={busy}>Add rule</button>
    </form>
  );
}
