/** Which events trigger which flows. */

import { listFlows } from "../../api/flows";
import { eventTypes } from "../../api/profiles";
import { listRules } from "../../api/rules";
import { listSources } from "../../api/sources";
import { ErrorBox, Loading, PageHeader } from "../../components/Feedback";
import { useAsync } from "../../lib/useAsync";
import { RuleForm } from "./RuleForm";
import { RuleTable } from "./RuleTable";

export default function RulesPage() {
  const rules = useAsync(() => listRules(), []);
  const context = useAsync(async () => {
    const [flows, sources, types] = await Promise.all([listFlows(), listSources(), eventTypes()]);
    return { flows, sources, types: types.map((t) => t.type) };
  }, []);
  return (
    <>
      <PageHeader title="Rules" />
      <p className="muted">A rule runs a flow's deployed version for each event of a type (and source) for which its
        condition holds. Rules run in the order they were created.</p>
      {rules.error && <ErrorBox error={rules.error} onRetry={rules.reload} />}
      {context.error && <ErrorBox error={context.error} onRetry={context.reload} />}
      {(rules.loading && !rules.data) || !context.data ? <Loading what="rules" /> : (
        <>
          <RuleTable rules={rules.data ?? []} flows={context.data.flows} sources={context.data.sources}
            onChanged={rules.reload} showFlow />
          <RuleForm flows={context.data.flows} sources={context.data.sources} eventTypes={context.data.types}
            onCreated={rules.reload} />
        </>
      )}
    </>
  );
}
