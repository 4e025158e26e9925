/** Widgets: the installed widget types, and saved settings (instances) with a live preview. */

import { useState } from "react";
import { deleteWidgetInstance, widgetInstances, widgetTypes } from "../../api/widgets";
import type { WidgetInstance } from "../../api/types";
import { Empty, ErrorBox, Loading, PageHeader } from "../../components/Feedback";
import { formatDate } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { WidgetEditor } from "./WidgetEditor";

export default function WidgetsPage() {
  const data = useAsync(async () => {
    const [types, instances] = await Promise.all([widgetTypes(), widgetInstances()]);
    return { types, instances };
  }, []);
  const [editing, setEditing] = useState<WidgetInstance | "new" | null>(null);
  if (data.error) return <ErrorBox error={data.error} onRetry={data.reload} />;
  if (!data.data) return <Loading what="widgets" />;
  const { types, instances } = data.data;
  const remove = async (id: string) => {
    await deleteWidgetInstance(id);
    data.reload();
  };
  return (
    <>
      <PageHeader title="Widgets">
        <button type="button" className="primary" onClick={() => setEditing("new")}>New widget settings</button>
      </PageHeader>
      <p className="muted">Widgets are pop-ups a flow's “Show widget” node asks the website to show. Saved settings
        can be reused by name.</p>
      {editing && (
        <WidgetEditor key={editing === "new" ? "new" : editing.id} types={types}
          instance={editing === "new" ? null : editing}
          onSaved={() => { setEditing(null); data.reload(); }} onCancel={() => setEditing(null)} />
      )}
      <h2>Saved settings</h2>
      {instances.length === 0 ? <Empty>None yet.</Empty> : (
        <table className="table">
          <thead><tr><th>Name</th><th>Widget</th><th>Changed</th><th /></tr></thead>
          <tbody>
            {instances.map((instance) => (
              <tr key={instance.id}>
                <td>{instance.name}</td><td><code>{instance.widget}</code></td><td>{formatDate(instance.updatedAt)}</td>
                <td>
                  <button type="button" className="small" onClick={() => setEditing(instance)}>Edit</button>
                  <button type="button" className="small danger" onClick={() => remove(instance.id)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Installed widgets</h2>
      <ul className="widget-types">
        {types.map((type) => (
          <li key={type.id} className="card">
            <strong>{type.name}</strong> <code className="small">{type.id}</code>
            <p>{type.description}</p>
            {type.events.length > 0 && <p className="muted small">Sends back: {type.events.join(", ")}</p>}
          </li>
        ))}
      </ul>
    </>
  );
}
