/** The latest events, refreshed by polling (the API has no subscription yet). */

import { useState } from "react";
import { listEvents } from "../../api/profiles";
import { Empty, ErrorBox } from "../../components/Feedback";
import { shortId, timeAgo } from "../../lib/format";
import { useAsync, useInterval } from "../../lib/useAsync";
import { Link } from "../../router";

export const POLL_MS = 3000;

export function LiveEvents() {
  const [paused, setPaused] = useState(false);
  const events = useAsync(() => listEvents(null, 15), []);
  useInterval(events.reload, POLL_MS, !paused);
  return (
    <section className="card live-events" aria-label="Live events">
      <h2>Live events <span className="muted small">polling every {POLL_MS / 1000} s</span>
        <button type="button" className="small" onClick={() => setPaused(!paused)}>{paused ? "Resume" : "Pause"}</button>
      </h2>
      {events.error && <ErrorBox error={events.error} />}
      {events.data?.length === 0 && <Empty>No events yet. Create a source and send one.</Empty>}
      <ul className="event-stream">
        {(events.data ?? []).map((event) => (
          <li key={event.id}>
            <strong>{event.type}</strong>
            <Link to={`/profiles/${event.profileId}`} className="muted small">profile {shortId(event.profileId)}</Link>
            <span className="muted small">{timeAgo(event.receivedAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
