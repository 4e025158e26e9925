/** One outbox entry: status, tries, details on demand, retry when it gave up. */

import { Fragment, useState } from "react";
import { retryOutboxEntry } from "../../api/outbox";
import type { OutboxEntry } from "../../api/types";
import { JsonView } from "../../components/JsonView";
import { formatDate, shortId } from "../../lib/format";
import { Link } from "../../router";

const RETRYABLE = new Set(["DEAD", "FAILED", "REFUSED"]);

export function OutboxRow({ entry, onChanged }: { entry: OutboxEntry; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const retry = async () => {
    setMessage(await retryOutboxEntry(entry.id));
    onChanged();
  };
  return (
    <Fragment>
      <tr>
        <td>{entry.channel ?? entry.kind}{entry.purpose && <div className="muted small">{entry.purpose}</div>}</td>
        <td>{entry.profileId ? <Link to={`/profiles/${entry.profileId}`}>{shortId(entry.profileId)}</Link> : "—"}</td>
        <td><span className={`badge status-${entry.status.toLowerCase()}`}>{entry.status.toLowerCase()}</span>
          {entry.lastError && <div className="error small">{entry.lastError}</div>}</td>
        <td>{entry.attempts}/{entry.maxAttempts}</td>
        <td>{formatDate(entry.createdAt)}</td>
        <td>
          <button type="button" className="small" onClick={() => setOpen(!open)}>{open ? "Hide" : "Details"}</button>
          {RETRYABLE.has(entry.status) && <button type="button" className="small" onClick={retry}>Retry</button>}
          {message && <span className="muted small"> {message}</span>}
        </td>
      </tr>
      {open && (
        <tr className="details-row"><td colSpan={6}>
          <JsonView label="Payload" value={entry.payload} />
          <JsonView label="Origin" value={entry.origin} open={false} />
          <ul className="small">{entry.history.map((step, i) => (
            <li key={i}>{formatDate(step.at)} — {step.status}{step.attempt ? ` (try ${step.attempt})` : ""}
              {step.note ? `: ${step.note}` : ""}</li>
          ))}</ul>
        </td></tr>
      )}
    </Fragment>
  );
}
