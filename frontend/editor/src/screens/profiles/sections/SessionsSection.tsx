/** The customer's visits, latest first. */

import { profileSessions } from "../../../api/profiles";
import type { JSONValue } from "../../../api/types";
import { ErrorBox } from "../../../components/Feedback";
import { formatDate } from "../../../lib/format";
import { useAsync } from "../../../lib/useAsync";

function describe(value: JSONValue): string {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "";
  return Object.values(value).filter((v) => typeof v === "string" && v).join(" ");
}

export function SessionsSection({ profileId }: { profileId: string }) {
  const sessions = useAsync(() => profileSessions(profileId, 10), [profileId]);
  return (
    <section className="card" aria-label="Sessions">
      <h2>Sessions</h2>
      {sessions.error && <ErrorBox error={sessions.error} />}
      {sessions.data?.length === 0 && <p className="muted">No sessions.</p>}
      {sessions.data && sessions.data.length > 0 && (
        <table className="table">
          <thead><tr><th>Started</th><th>Last activity</th><th>Events</th><th>Device</th><th>Referrer</th></tr></thead>
          <tbody>
            {sessions.data.map((session) => (
              <tr key={session.id}>
                <td>{formatDate(session.startedAt)}</td>
                <td>{formatDate(session.lastActivityAt)}</td>
                <td>{session.eventCount}</td>
                <td className="small">{[describe(session.browser), describe(session.os), describe(session.device)]
                  .filter(Boolean).join(" · ") || "—"}</td>
                <td className="small">{session.referrer ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
