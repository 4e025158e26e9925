/** The customer's consents, with grant/revoke (audited as given in the editor) and their history. */

import { useState } from "react";
import { consentTypes, profileConsents, setConsent } from "../../../api/consents";
import { ErrorBox, Loading } from "../../../components/Feedback";
import { formatDate } from "../../../lib/format";
import { useAsync } from "../../../lib/useAsync";

export function ConsentsSection({ profileId }: { profileId: string }) {
  const data = useAsync(async () => {
    const [types, consents] = await Promise.all([consentTypes(), profileConsents(profileId)]);
    return { types, ...consents };
  }, [profileId]);
  const [message, setMessage] = useState<string | null>(null);
  if (data.error) return <ErrorBox error={data.error} />;
  if (!data.data) return <Loading what="consents" />;
  const { types, current, history } = data.data;
  const change = async (typeId: string, granted: boolean) => {
    const result = await setConsent(profileId, typeId, granted);
    setMessage("message" in result ? result.message : null);
    data.reload();
  };
  return (
    <>
      {types.length === 0 && <p className="muted">No consent types are defined.</p>}
      <ul className="consents">
        {types.map((type) => {
          const consent = current.find((c) => c.typeId === type.id);
          return (
            <li key={type.id}>
              <strong>{type.name}</strong> <span className={`badge ${consent?.granted ? "ok" : ""}`}>
                {consent ? consent.state : "not asked"}</span>
              {consent?.expiresAt && <span className="muted small"> until {formatDate(consent.expiresAt)}</span>}
              {consent?.granted
                ? <button type="button" className="small" onClick={() => change(type.id, false)}>Revoke</button>
                : <button type="button" className="small" onClick={() => change(type.id, true)}>Grant</button>}
            </li>
          );
        })}
      </ul>
      {message && <p className="error">{message}</p>}
      {history.length > 0 && (
        <details>
          <summary>History ({history.length})</summary>
          <ul className="small">{history.map((entry) => (
            <li key={entry.id}>{formatDate(entry.at)} — {entry.typeId}: {entry.previous} → {entry.outcome}
              {" "}({entry.source}){entry.reason ? ` — ${entry.reason}` : ""}</li>
          ))}</ul>
        </details>
      )}
    </>
  );
}
