import { describe, expect, it } from "vitest";
import { RANGES, bucketBounds, bucketLabels, newVsReturning, seriesByType } from "../src/screens/dashboard/buckets";

describe("dashboard buckets", () => {
  it("makes consecutive bounds ending after now", () => {
    const now = new Date("2026-03-10T10:20:00");
    const bounds = bucketBounds(RANGES[0], now);
    expect(bounds).toHaveLength(25);
    expect(new Date(bounds[24]).getTime()).toBe(new Date("2026-03-10T11:00:00").getTime());
    expect(new Date(bounds[1]).getTime() - new Date(bounds[0]).getTime()).toBe(3600_000);
    expect(bucketLabels(bounds, RANGES[0]).at(-1)).toBe("10h");
  });

  it("keeps the frequent types and sums the rest as other", () => {
    const buckets = [[{ type: "a", count: 5 }, { type: "b", count: 1 }], [{ type: "c", count: 2 }]];
    expect(seriesByType(buckets, 2)).toEqual([
      { name: "a", values: [5, 0] }, { name: "c", values: [0, 2] }, { name: "other", values: [1, 0] },
    ]);
  });

  it("counts new profiles when first seen and returning ones when seen again", () => {
    const bounds = ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"];
    const [fresh, back] = newVsReturning([
      { firstSeen: "2026-01-01T05:00:00Z", lastSeen: "2026-01-02T05:00:00Z" },
      { firstSeen: "2025-12-01T00:00:00Z", lastSeen: "2026-01-01T08:00:00Z" },
      { firstSeen: "2026-01-02T01:00:00Z", lastSeen: "2026-01-02T02:00:00Z" },
    ], bounds);
    expect(fresh.values).toEqual([1, 1]);
    expect(back.values).toEqual([1, 1]);
  });
});
