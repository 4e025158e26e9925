/** Rules as a table: enable or disable, delete. */

import { deleteRule, updateRule } from "../../api/rules";
import type { FlowSummary, Rule, Source } from "../../api/types";
import { Link } from "../../router";

export function RuleTable(props: { rules: Rule[]; flows?: FlowSummary[]; sources: Source[]; onChanged: () => void;
  showFlow?: boolean }) {
  const flowName = (id: string) => props.flows?.find((flow) => flow.id === id)?.name ?? id;
  const sourceName = (id: string | null) => (id ? props.sources.find((s) => s.id === id)?.name ?? id : "any source");
  const toggle = async (rule: Rule) => {
    await updateRule(rule.id, { enabled: !rule.enabled });
    props.onChanged();
  };
  const remove = async (rule: Rule) => {
    await deleteRule(rule.id);
    props.onChanged();
  };
  if (props.rules.length === 0) return <p className="empty">No rules yet: nothing runs this flow.</p>;
  return (
    <table className="table rules-table">
      <thead>
        <tr><th>Event type</th>{props.showFlow && <th>Flow</th>}<th>Source</th><th>Condition</th><th>Enabled</th>
          <th /></tr>
      </thead>
      <tbody>
        {props.rules.map((rule) => (
          <tr key={rule.id} data-rule-id={rule.id}>
            <td><strong>{rule.eventType}</strong>{rule.name && <div className="muted small">{rule.name}</div>}</td>
            {props.showFlow && <td><Link to={`/flows/${rule.flowId}`}>{flowName(rule.flowId)}</Link></td>}
            <td>{sourceName(rule.sourceId)}</td>
            <td>{rule.condition ? <code>{rule.condition}</code> : <span className="muted">always</span>}</td>
            <td><input type="checkbox" aria-label={`Rule ${rule.eventType} enabled`} checked={rule.enabled}
              onChange={() => toggle(rule)} /></td>
            <td><button type="button" className="small danger" onClick={() => remove(rule)}>Delete</button></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
