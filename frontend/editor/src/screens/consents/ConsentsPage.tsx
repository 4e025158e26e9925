/** Consent types: what customers can agree to, for which channels and purposes. */

import { useState } from "react";
import { consentPurposes, consentTypes, deleteConsentType } from "../../api/consents";
import type { ConsentType } from "../../api/types";
import { Empty, ErrorBox, Loading, PageHeader } from "../../components/Feedback";
import { useAsync } from "../../lib/useAsync";
import { ConsentTypeForm } from "./ConsentTypeForm";

export default function ConsentsPage() {
  const data = useAsync(async () => {
    const [types, purposes] = await Promise.all([consentTypes(), consentPurposes()]);
    return { types, purposes };
  }, []);
  const [editing, setEditing] = useState<ConsentType | null>(null);
  const remove = async (id: string) => {
    if (!window.confirm(`Delete the consent type ${id}? It will no longer allow any message.`)) return;
    await deleteConsentType(id);
    data.reload();
  };
  return (
    <>
      <PageHeader title="Consents" />
      {data.error && <ErrorBox error={data.error} onRetry={data.reload} />}
      {data.loading && !data.data && <Loading what="consent types" />}
      {data.data?.types.length === 0 && <Empty>No consent types yet.</Empty>}
      {data.data && data.data.types.length > 0 && (
        <table className="table">
          <thead><tr><th>Consent</th><th>Channels</th><th>Purposes</th><th>Rules</th><th /></tr></thead>
          <tbody>
            {data.data.types.map((type) => (
              <tr key={type.id}>
                <td><strong>{type.name}</strong> <code className="small">{type.id}</code>
                  <div className="muted small">{type.description}</div></td>
                <td>{type.channels.join(", ") || "every channel"}</td>
                <td>{type.purposes.join(", ")}</td>
                <td className="small">{type.required ? "required · " : ""}{type.revocable ? "revocable" : "not revocable"}
                  {type.expiresAfterDays ? ` · expires after ${type.expiresAfterDays} d` : ""}</td>
                <td>
                  <button type="button" className="small" onClick={() => setEditing(type)}>Edit</button>
                  <button type="button" className="small danger" onClick={() => remove(type.id)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.data && (
        <ConsentTypeForm key={editing?.id ?? "new"} initial={editing} purposes={data.data.purposes}
          onSaved={() => { setEditing(null); data.reload(); }} onCancel={() => setEditing(null)} />
      )}
    </>
  );
}
