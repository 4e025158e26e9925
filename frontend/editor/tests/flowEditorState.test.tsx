import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Flow } from "../src/api/types";
import { addNode, removeElements, updateNode } from "../src/screens/flows/editor/graph";
import { useFlowEditor } from "../src/screens/flows/editor/useFlowEditor";
import { THREE_NODES, nodeType } from "./helpers";

const FLOW: Flow = { id: "f1", name: "VIP", description: "", deployedVersion: null, updatedAt: "2026-01-01T00:00:00Z",
  draft: THREE_NODES, versions: [], rules: [] };

afterEach(() => vi.unstubAllGlobals());

describe("the open flow's state", () => {
  it("undoes and redoes edits, and knows when the draft differs from the saved one", () => {
    const { result } = renderHook(() => useFlowEditor(FLOW));
    expect(result.current.dirty).toBe(false);
    act(() => result.current.change((doc) => removeElements(doc, ["set_trait"])));
    act(() => result.current.change((doc) => addNode(doc, nodeType("cairn.end"), { x: 1, y: 1 }).doc));
    expect(result.current.doc.nodes.map((n) => n.id)).toEqual(["start", "condition", "end"]);
    expect(result.current.dirty).toBe(true);
    act(() => result.current.undo());
    act(() => result.current.undo());
    expect(result.current.doc).toEqual(THREE_NODES);
    expect(result.current.dirty).toBe(false);
    act(() => result.current.redo());
    expect(result.current.doc.nodes).toHaveLength(2);
    expect(result.current.canRedo).toBe(true);
  });

  it("merges keystrokes in one field into one undo step", () => {
    const { result } = renderHook(() => useFlowEditor(FLOW));
    for (const name of ["t", "ti", "tie", "tier"]) {
      act(() => result.current.change((doc) => updateNode(doc, "set_trait", { config: { name } }),
        "config:set_trait"));
    }
    act(() => result.current.undo());
    expect(result.current.doc).toEqual(THREE_NODES);
  });

  it("shows the server's problems after a refused deploy", async () => {
    const problems = [{ nodeId: "set_trait", code: "invalid_config", message: "name is required", hint: "fill it" }];
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ data: { deployFlow: {
      __typename: "DeployRefused", message: "the draft has problems", problems } } }), { status: 200 })));
    const { result } = renderHook(() => useFlowEditor(FLOW));
    await act(() => result.current.deploy());
    expect(result.current.problems).toEqual(problems);
    expect(result.current.notice).toEqual({ ok: false, text: "the draft has problems (1 problem(s))" });
  });
});
