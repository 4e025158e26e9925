/** The flows: their state, and a form to create one (it opens in the editor). */

import { type FormEvent, useState } from "react";
import { createFlow, deleteFlow, listFlows } from "../../api/flows";
import { Empty, ErrorBox, Loading, PageHeader } from "../../components/Feedback";
import { formatDate } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { Link, navigate } from "../../router";

export default function FlowsPage() {
  const flows = useAsync(listFlows, []);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const result = await createFlow(name.trim(), description.trim());
      if (result.__typename === "FlowSaved") navigate(`/flows/${result.flow.id}`);
      else setError(result.message);
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
    }
  };

  const remove = async (id: string, flowName: string) => {
    if (!window.confirm(`Delete the flow “${flowName}”, its versions and its rules?`)) return;
    await deleteFlow(id);
    flows.reload();
  };

  return (
    <>
      <PageHeader title="Flows" />
      <form className="card inline-form" onSubmit={create} aria-label="New flow">
        <input aria-label="Flow name" placeholder="New flow name" required value={name}
          onChange={(event) => setName(event.target.value)} />
        <input aria-label="Flow description" placeholder="Description (optional)" value={description}
          onChange={(event) => setDescription(event.target.value)} />
        <button type="submit" className="primary">Create flow</button>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
      {flows.error && <ErrorBox error={flows.error} onRetry={flows.reload} />}
      {flows.loading && !flows.data && <Loading what="flows" />}
      {flows.data?.length === 0 && <Empty>No flows yet: create one above.</Empty>}
      {flows.data && flows.data.length > 0 && (
        <table className="table">
          <thead><tr><th>Name</th><th>State</th><th>Changed</th><th /></tr></thead>
          <tbody>
            {flows.data.map((flow) => (
              <tr key={flow.id}>
                <td><Link to={`/flows/${flow.id}`}>{flow.name}</Link>
                  {flow.description && <div className="muted small">{flow.description}</div>}</td>
                <td>{flow.deployedVersion ? <span className="badge ok">live: v{flow.deployedVersion}</span>
                  : <span className="badge">draft only</span>}</td>
                <td>{formatDate(flow.updatedAt)}</td>
                <td><button type="button" className="small danger" onClick={() => remove(flow.id, flow.name)}>
                  Delete</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
