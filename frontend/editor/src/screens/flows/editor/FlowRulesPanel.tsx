/** The rules that run this flow, and a form to add one. */

import { eventTypes } from "../../../api/profiles";
import { listRules } from "../../../api/rules";
import { listSources } from "../../../api/sources";
import type { FlowSummary } from "../../../api/types";
import { ErrorBox, Loading } from "../../../components/Feedback";
import { useAsync } from "../../../lib/useAsync";
import { RuleForm } from "../../rules/RuleForm";
import { RuleTable } from "../../rules/RuleTable";

export function FlowRulesPanel({ flow }: { flow: FlowSummary }) {
  const rules = useAsync(() => listRules(flow.id), [flow.id]);
  const context = useAsync(async () => {
    const [sources, types] = await Promise.all([listSources(), eventTypes()]);
    return { sources, types: types.map((t) => t.type) };
  }, []);
  if (rules.error || context.error) return <ErrorBox error={rules.error ?? context.error} onRetry={rules.reload} />;
  if (!rules.data || !context.data) return <Loading what="rules" />;
  return (
    <div className="flow-rules" aria-label="Rules of this flow">
      {flow.deployedVersion === null && <p className="notice bad">Rules run the deployed version: deploy the flow
        first.</p>}
      <RuleTable rules={rules.data} sources={context.data.sources} onChanged={rules.reload} />
      <RuleForm flows={[flow]} flowId={flow.id} sources={context.data.sources} eventTypes={context.data.types}
        onCreated={rules.reload} />
    </div>
  );
}
