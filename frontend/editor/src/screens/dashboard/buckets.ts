/** Time buckets for the dashboard's charts, and counting into them. */

import type { EventTypeCount } from "../../api/types";
import type { Series } from "../../components/charts";

export interface Range {
  id: string;
  label: string;
  buckets: number;
  /** Bucket length in milliseconds. */
  step: number;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const RANGES: Range[] = [
  { id: "24h", label: "Last 24 hours", buckets: 24, step: HOUR },
  { id: "7d", label: "Last 7 days", buckets: 7, step: DAY },
  { id: "14d", label: "Last 14 days", buckets: 14, step: DAY },
];

/** `buckets + 1` ISO bounds, the last one the end of the current hour or day. */
export function bucketBounds(range: Range, now: Date = new Date()): string[] {
  const end = new Date(now);
  if (range.step === HOUR) end.setMinutes(60, 0, 0);
  else end.setHours(24, 0, 0, 0);
  return Array.from({ length: range.buckets + 1 }, (_, i) =>
    new Date(end.getTime() - (range.buckets - i) * range.step).toISOString());
}

export function bucketLabels(bounds: string[], range: Range): string[] {
  return bounds.slice(0, -1).map((bound) => {
    const date = new Date(bound);
    return range.step === HOUR ? `${date.getHours()}h` : `${date.getDate()}/${date.getMonth() + 1}`;
  });
}

/** One series per frequent type (at most `top`), the rest summed as "other". */
export function seriesByType(buckets: EventTypeCount[][], top = 6): Series[] {
  const totals = new Map<string, number>();
  for (const bucket of buckets) for (const { type, count } of bucket) totals.set(type, (totals.get(type) ?? 0) + count);
  const kept = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([type]) => type);
  const series: Series[] = kept.map((type) => ({
    name: type, values: buckets.map((bucket) => bucket.find((c) => c.type === type)?.count ?? 0),
  }));
  if (totals.size > kept.length) {
    series.push({ name: "other", values: buckets.map((bucket) => bucket.filter((c) => !kept.includes(c.type))
      .reduce((sum, c) => sum + c.count, 0)) });
  }
  return series;
}

/** New (first seen in the bucket) and returning (seen again in it) profiles per bucket. */
export function newVsReturning(profiles: { firstSeen: string | null; lastSeen: string | null }[], bounds: string[]):
Series[] {
  const edges = bounds.map((b) => new Date(b).getTime());
  const index = (time: number) => edges.findIndex((start, i) => i < edges.length - 1 && time >= start
    && time < edges[i + 1]);
  const fresh = new Array(bounds.length - 1).fill(0);
  const back = new Array(bounds.length - 1).fill(0);
  for (const profile of profiles) {
    const first = profile.firstSeen ? new Date(profile.firstSeen).getTime() : NaN;
    const last = profile.lastSeen ? new Date(profile.lastSeen).getTime() : NaN;
    const firstBucket = index(first);
    if (firstBucket >= 0) fresh[firstBucket] += 1;
    const lastBucket = index(last);
    if (lastBucket >= 0 && first < edges[lastBucket]) back[lastBucket] += 1;
  }
  return [{ name: "new", values: fresh }, { name: "returning", values: back }];
}
