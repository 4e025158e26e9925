/** What a trace (a dry run's or a real run's) says about each node, for the canvas. */

import type { FlowGraph, FlowTrace, TraceStep } from "../../../api/types";
import { edgeId } from "./graph";

export interface NodeRun {
  /** The node's steps in run order (a node in a loop runs more than once). */
  steps: TraceStep[];
  /** The output ports it followed. */
  ports: string[];
  error: string | null;
}

export function runsByNode(trace: FlowTrace | null | undefined): Map<string, NodeRun> {
  const runs = new Map<string, NodeRun>();
  for (const step of trace?.steps ?? []) {
    const run = runs.get(step.nodeId) ?? { steps: [], ports: [], error: null };
    run.steps.push(step);
    for (const output of step.outputs) if (!run.ports.includes(output.port)) run.ports.push(output.port);
    run.error = run.error ?? step.error;
    runs.set(step.nodeId, run);
  }
  return runs;
}

/** The ids of the edges the run went along: a followed port into a node that then ran. */
export function followedEdges(doc: FlowGraph, runs: Map<string, NodeRun>): Set<string> {
  const followed = new Set<string>();
  for (const edge of doc.edges) {
    if (runs.get(edge.fromNode)?.ports.includes(edge.fromPort) && runs.has(edge.toNode)) followed.add(edgeId(edge));
  }
  return followed;
}
