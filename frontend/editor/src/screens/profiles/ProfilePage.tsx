/** One customer: identifiers, traits, segments, consents, interests, sessions, timeline, merges. */

import { useEffect } from "react";
import { getProfile } from "../../api/profiles";
import type { Profile } from "../../api/types";
import { useCapabilities } from "../../capabilities";
import { HBars } from "../../components/charts";
import { ErrorBox, Loading, PageHeader } from "../../components/Feedback";
import { JsonView } from "../../components/JsonView";
import { formatDate, profileName } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { Link, navigate } from "../../router";
import { ConsentsSection } from "./sections/ConsentsSection";
import { DeliveriesSection } from "./sections/DeliveriesSection";
import { PrivacyActions } from "./sections/PrivacyActions";
import { SegmentHistory } from "./sections/SegmentHistory";
import { SessionsSection } from "./sections/SessionsSection";
import { Timeline } from "./sections/Timeline";

export default function ProfilePage({ params }: { params: Record<string, string> }) {
  const profile = useAsync(() => getProfile(params.id), [params.id]);
  const capabilities = useCapabilities();

  useEffect(() => {
    if (profile.data && profile.data.id !== params.id) navigate(`/profiles/${profile.data.id}`, { replace: true });
  }, [profile.data, params.id]);

  if (profile.error) return <ErrorBox error={profile.error} onRetry={profile.reload} />;
  if (profile.loading && !profile.data) return <Loading what="profile" />;
  if (!profile.data) return <ErrorBox title="Profile not found" error={`No profile has the id ${params.id}.`} />;
  const p: Profile = profile.data;
  const interests = Object.entries(p.interests ?? {}).filter(([, v]) => typeof v === "number")
    .map(([name, value]) => ({ name, value: value as number })).sort((a, b) => b.value - a.value);
  return (
    <>
      <PageHeader title={profileName(p)}>
        {capabilities.queries.has("exportProfile") && <PrivacyActions profileId={p.id} />}
      </PageHeader>
      <p className="muted small">Profile <code>{p.id}</code> · version {p.version} · first seen
        {" "}{formatDate(p.firstSeen)} · last seen {formatDate(p.lastSeen)} · {p.stats.events} events ·
        {" "}{p.stats.visits} visits</p>
      <div className="profile-grid">
        <section className="card" aria-label="Identifiers">
          <h2>Identifiers</h2>
          <dl className="kv">
            {p.identifiers.map((identifier) => (
              <div key={identifier.kind}><dt>{identifier.kind}</dt><dd>{identifier.values.join(", ")}</dd></div>
            ))}
            <div><dt>user ids</dt><dd>{p.userIds.join(", ") || "—"}</dd></div>
            <div><dt>anonymous ids</dt><dd className="small">{p.anonymousIds.join(", ") || "—"}</dd></div>
          </dl>
        </section>
        <section className="card" aria-label="Traits">
          <h2>Traits</h2>
          {Object.keys(p.traits).length ? (
            <dl className="kv">
              {Object.entries(p.traits).map(([key, value]) => (
                <div key={key}><dt>{key}</dt><dd data-trait={key}>{typeof value === "string" ? value
                  : JSON.stringify(value)}</dd></div>
              ))}
            </dl>
          ) : <p className="muted">No traits.</p>}
        </section>
        <section className="card" aria-label="Segments and tags">
          <h2>Segments</h2>
          {p.segments.length ? p.segments.map((s) => <span key={s} className="tag">{s}</span>)
            : <p className="muted">In no segment.</p>}
          {capabilities.queries.has("profileSegmentHistory") && <SegmentHistory profileId={p.id} />}
          <h2>Tags</h2>
          {p.tags.length ? p.tags.map((t) => <span key={t} className="tag">{t}</span>) : <p className="muted">No tags.</p>}
        </section>
        <section className="card" aria-label="Interests">
          <h2>Interests</h2>
          {interests.length ? <HBars items={interests} /> : <p className="muted">No interests.</p>}
        </section>
        <section className="card" aria-label="Consents">
          <h2>Consents</h2>
          {capabilities.queries.has("profileConsents") ? <ConsentsSection profileId={p.id} />
            : <JsonView value={p.consents} />}
        </section>
        <section className="card" aria-label="Merge history">
          <h2>Merge history</h2>
          {p.mergedFrom.length ? (
            <ul>{p.mergedFrom.map((merge) => (
              <li key={merge.profileId}><code>{merge.profileId}</code> merged {formatDate(merge.mergedAt)}
                <span className="muted"> — {merge.reason}</span></li>
            ))}</ul>
          ) : <p className="muted">No profile was merged into this one.</p>}
        </section>
      </div>
      <SessionsSection profileId={p.id} />
      <Timeline profileId={p.id} eventTypes={p.stats.eventTypes.map((t) => t.type)} />
      {capabilities.queries.has("deliveries") && <DeliveriesSection profileId={p.id} />}
      {capabilities.queries.has("flowTraces") && (
        <p className="muted small">Flow runs for this profile show in each flow's Traces tab
          (<Link to="/flows">flows</Link>).</p>
      )}
    </>
  );
}
