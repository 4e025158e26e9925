/** The customer's events, newest first, with a type filter and paging. */

import { useState } from "react";
import { profileEvents } from "../../../api/profiles";
import type { CairnEvent } from "../../../api/types";
import { ErrorBox, Loading } from "../../../components/Feedback";
import { JsonView } from "../../../components/JsonView";
import { formatDate } from "../../../lib/format";
import { useAsync } from "../../../lib/useAsync";

export function Timeline({ profileId, eventTypes }: { profileId: string; eventTypes: string[] }) {
  const [type, setType] = useState("");
  const [more, setMore] = useState<CairnEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useAsync(async () => {
    const page = await profileEvents(profileId, 25, null, type);
    setMore([]);
    setCursor(page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
    return page.edges.map((e) => e.node);
  }, [profileId, type]);
  const loadMore = async () => {
    const page = await profileEvents(profileId, 25, cursor, type);
    setMore((current) => [...current, ...page.edges.map((e) => e.node)]);
    setCursor(page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
  };
  const events = [...(first.data ?? []), ...more];
  return (
    <section className="card" aria-label="Event timeline">
      <h2>Timeline
        <select aria-label="Event type" value={type} onChange={(event) => setType(event.target.value)}>
          <option value="">All events</option>
          {eventTypes.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </h2>
      {first.error && <ErrorBox error={first.error} />}
      {first.loading && !first.data && <Loading what="events" />}
      {first.data && events.length === 0 && <p className="muted">No events.</p>}
      <ol className="timeline">
        {events.map((event) => (
          <li key={event.id}>
            <details>
              <summary><strong>{event.type}</strong> <span className="muted small">{event.kind} ·
                {" "}{formatDate(event.occurredAt)}</span></summary>
              <JsonView value={event.properties} />
            </details>
          </li>
        ))}
      </ol>
      {cursor && <button type="button" onClick={loadMore}>Older events</button>}
    </section>
  );
}
