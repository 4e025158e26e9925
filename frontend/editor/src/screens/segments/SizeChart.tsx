/** A segment's size over the last 30 days. */

import { segmentSizes } from "../../api/segments";
import { LineChart } from "../../components/charts";
import { ErrorBox, Loading } from "../../components/Feedback";
import { useAsync } from "../../lib/useAsync";

export function SizeChart({ segmentId }: { segmentId: string }) {
  const since = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
  const sizes = useAsync(() => segmentSizes(segmentId, since), [segmentId]);
  if (sizes.error) return <ErrorBox error={sizes.error} />;
  if (!sizes.data) return <Loading what="sizes" />;
  if (sizes.data.length === 0) return <p className="muted">No size samples yet.</p>;
  const labels = sizes.data.map((s) => new Date(s.at).toLocaleDateString());
  return (
    <section className="card">
      <h2>Size over 30 days</h2>
      <LineChart title="Segment size" labels={labels} values={sizes.data.map((s) => s.size)} />
    </section>
  );
}
