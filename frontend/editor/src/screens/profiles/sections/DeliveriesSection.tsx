/** The messages meant for this customer, with their delivery status. */

import { deliveries } from "../../../api/outbox";
import { ErrorBox } from "../../../components/Feedback";
import { formatDate } from "../../../lib/format";
import { useAsync } from "../../../lib/useAsync";

export function DeliveriesSection({ profileId }: { profileId: string }) {
  const entries = useAsync(() => deliveries(profileId, 20), [profileId]);
  return (
    <section className="card" aria-label="Messages">
      <h2>Messages</h2>
      {entries.error && <ErrorBox error={entries.error} />}
      {entries.data?.length === 0 && <p className="muted">No messages.</p>}
      {entries.data && entries.data.length > 0 && (
        <table className="table">
          <thead><tr><th>Channel</th><th>Purpose</th><th>Status</th><th>Queued</th><th>Last error</th></tr></thead>
          <tbody>
            {entries.data.map((entry) => (
              <tr key={entry.id}>
                <td>{entry.channel ?? entry.kind}</td><td>{entry.purpose ?? "—"}</td>
                <td><span className={`badge status-${entry.status.toLowerCase()}`}>{entry.status.toLowerCase()}</span></td>
                <td>{formatDate(entry.createdAt)}</td><td className="small">{entry.lastError ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
