/** Events per type over the range, and new vs returning profiles. */

import { eventTypesByBucket, searchProfiles } from "../../api/profiles";
import { LineChart, StackedBars } from "../../components/charts";
import { ErrorBox, Loading } from "../../components/Feedback";
import { useAsync } from "../../lib/useAsync";
import { type Range, bucketBounds, bucketLabels, newVsReturning, seriesByType } from "./buckets";

const PROFILE_SAMPLE = 200;

export function EventCharts({ range }: { range: Range }) {
  const data = useAsync(async () => {
    const bounds = bucketBounds(range);
    const [buckets, profiles] = await Promise.all([eventTypesByBucket(bounds),
      searchProfiles(null, PROFILE_SAMPLE)]);
    return { bounds, buckets, profiles: profiles.edges.map((e) => e.node) };
  }, [range.id]);
  if (data.error) return <ErrorBox error={data.error} onRetry={data.reload} />;
  if (!data.data) return <Loading what="charts" />;
  const { bounds, buckets, profiles } = data.data;
  const labels = bucketLabels(bounds, range);
  const totals = buckets.map((bucket) => bucket.reduce((sum, c) => sum + c.count, 0));
  const people = newVsReturning(profiles, bounds);
  return (
    <>
      <section className="card">
        <h2>Events by type <span className="muted small">{totals.reduce((a, b) => a + b, 0)} in {range.label
          .toLowerCase()}</span></h2>
        <StackedBars title="Events per type over time" labels={labels} series={seriesByType(buckets)} />
      </section>
      <section className="card">
        <h2>New vs returning profiles</h2>
        <StackedBars title="New and returning profiles over time" labels={labels} series={people} height={150} />
        <p className="muted small">From the {profiles.length} most recently seen profiles: “new” were first seen in
          the period, “returning” came back in it (counted on their last visit).</p>
      </section>
      <section className="card">
        <h2>Total events</h2>
        <LineChart title="Total events over time" labels={labels} values={totals} />
      </section>
    </>
  );
}
