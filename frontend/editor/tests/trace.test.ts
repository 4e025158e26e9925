import { describe, expect, it } from "vitest";
import type { FlowTrace, TraceStep } from "../src/api/types";
import { followedEdges, runsByNode } from "../src/screens/flows/editor/trace";
import { THREE_NODES } from "./helpers";

function step(n: number, nodeId: string, ports: string[], error: string | null = null): TraceStep {
  return { step: n, nodeId, nodeType: "x", input: {}, outputs: ports.map((port) => ({ port, payload: {} })),
    changes: [], ux: [], logs: [], error, durationMs: 1 };
}

const trace = (steps: TraceStep[]): FlowTrace => ({ id: "t", flowId: "f", flowName: "F", flowVersion: 1, eventId: null,
  eventType: "e", profileId: null, dryRun: true, status: "ok", error: null, errorCount: 0,
  startedAt: "2026-01-01T00:00:00Z", durationMs: 3, steps });

describe("a trace on the canvas", () => {
  it("says per node which ports it followed and what failed", () => {
    const runs = runsByNode(trace([step(1, "start", ["out"]), step(2, "condition", ["true"]),
      step(3, "set_trait", [], "boom")]));
    expect(runs.get("condition")?.ports).toEqual(["true"]);
    expect(runs.get("set_trait")?.error).toBe("boom");
    expect(runsByNode(null).size).toBe(0);
  });

  it("highlights the edges the run went along", () => {
    const went = followedEdges(THREE_NODES, runsByNode(trace([step(1, "start", ["out"]), step(2, "condition",
      ["false"])])));
    expect([...went]).toEqual(["start:out->condition"]);
  });

  it("collects every step of a node that ran more than once", () => {
    const runs = runsByNode(trace([step(1, "condition", ["false"]), step(2, "condition", ["true"])]));
    expect(runs.get("condition")?.steps.map((s) => s.step)).toEqual([1, 2]);
    expect(runs.get("condition")?.ports).toEqual(["false", "true"]);
  });
});
