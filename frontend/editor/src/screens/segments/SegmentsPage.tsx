/** Segments: list with sizes, a condition editor with a live preview count, size charts. */

import { useState } from "react";
import { deleteSegment, listSegments, recomputeSegment, type Segment } from "../../api/segments";
import { Empty, ErrorBox, Loading, PageHeader } from "../../components/Feedback";
import { formatDate } from "../../lib/format";
import { useAsync, useInterval } from "../../lib/useAsync";
import { SegmentEditor } from "./SegmentEditor";
import { SizeChart } from "./SizeChart";

export default function SegmentsPage() {
  const segments = useAsync(listSegments, []);
  const [editing, setEditing] = useState<Segment | "new" | null>(null);
  const [charted, setCharted] = useState<string | null>(null);
  const recompute = async (segment: Segment) => {
    const problem = await recomputeSegment(segment.id);
    if (problem) window.alert(problem);
    segments.reload();
  };
  const running = (segments.data ?? []).some((s) => s.latestJob?.status === "RUNNING");
  useInterval(segments.reload, 2000, running);
  const remove = async (segment: Segment) => {
    if (!window.confirm(`Delete the segment ${segment.name}?`)) return;
    await deleteSegment(segment.id);
    segments.reload();
  };
  return (
    <>
      <PageHeader title="Segments">
        <button type="button" className="primary" onClick={() => setEditing("new")}>New segment</button>
      </PageHeader>
      {editing && <SegmentEditor key={editing === "new" ? "new" : editing.id} segment={editing === "new" ? null : editing}
        onSaved={() => { setEditing(null); segments.reload(); }} onCancel={() => setEditing(null)} />}
      {segments.error && <ErrorBox error={segments.error} onRetry={segments.reload} />}
      {segments.loading && !segments.data && <Loading what="segments" />}
      {segments.data?.length === 0 && <Empty>No segments yet.</Empty>}
      {segments.data && segments.data.length > 0 && (
        <table className="table">
          <thead><tr><th>Segment</th><th>Condition</th><th>Members</th><th>Computed</th><th /></tr></thead>
          <tbody>
            {segments.data.map((segment) => (
              <tr key={segment.id}>
                <td><strong>{segment.name}</strong>{!segment.enabled && <span className="badge"> disabled</span>}
                  {segment.description && <div className="muted small">{segment.description}</div>}
                  {segment.lastError && <div className="error small">{segment.lastError.message}</div>}</td>
                <td><code>{segment.condition}</code></td>
                <td>{segment.size}{segment.latestJob?.status === "RUNNING" && (
                  <div className="muted small">computing… {Math.round(segment.latestJob.progress * 100)}%</div>)}
                  {segment.latestJob?.status === "FAILED" && <div className="error small">{segment.latestJob.error}</div>}
                </td>
                <td className="small">{formatDate(segment.lastComputedAt)}</td>
                <td>
                  <button type="button" className="small" onClick={() => setCharted(charted === segment.id ? null
                    : segment.id)}>Size chart</button>
                  <button type="button" className="small" onClick={() => setEditing(segment)}>Edit</button>
                  <button type="button" className="small" onClick={() => recompute(segment)}>Recompute</button>
                  <button type="button" className="small danger" onClick={() => remove(segment)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {charted && <SizeChart segmentId={charted} />}
    </>
  );
}
