/** The state of one open flow: the document with undo/redo, saving, deploying and problems. */

import { useCallback, useMemo, useState } from "react";
import { checkFlowGraph, deployFlow, graphInput, updateFlow } from "../../../api/flows";
import type { Flow, FlowGraph, FlowTrace, GraphProblem } from "../../../api/types";
import { canRedo, canUndo, commit, type History, initHistory, redo, undo } from "./history";

export interface Notice {
  ok: boolean;
  text: string;
}

/** A run shown on the canvas: a dry run of the draft, or a stored trace. */
export interface ShownRun {
  kind: "dry-run" | "trace";
  trace: FlowTrace;
}

function sameGraph(a: FlowGraph, b: FlowGraph): boolean {
  return a === b || JSON.stringify(graphInput(a)) === JSON.stringify(graphInput(b));
}

export function useFlowEditor(initial: Flow) {
  const [flow, setFlow] = useState<Flow>(initial);
  const [history, setHistory] = useState<History<FlowGraph>>(() => initHistory(initial.draft));
  const [saved, setSaved] = useState<FlowGraph>(initial.draft);
  const [problems, setProblems] = useState<GraphProblem[]>([]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const [run, setRun] = useState<ShownRun | null>(null);

  const doc = history.present;
  const dirty = useMemo(() => !sameGraph(doc, saved), [doc, saved]);

  const change = useCallback((edit: (doc: FlowGraph) => FlowGraph, key: string | null = null) => {
    setHistory((current) => commit(current, edit(current.present), key));
  }, []);

  const save = useCallback(async (): Promise<boolean> => {
    setBusy(true);
    try {
      const result = await updateFlow(flow.id, { graph: doc });
      if (result.__typename !== "FlowSaved") {
        setNotice({ ok: false, text: result.message });
        return false;
      }
      setFlow(result.flow);
      setSaved(doc);
      const found = await checkFlowGraph(doc);
      setProblems(found);
      setNotice({ ok: true, text: found.length ? `Draft saved; ${found.length} problem(s) to fix before deploying.`
        : "Draft saved." });
      return true;
    } catch (error) {
      setNotice({ ok: false, text: `Saving failed: ${error instanceof Error ? error.message : String(error)}` });
      return false;
    } finally {
      setBusy(false);
    }
  }, [doc, flow.id]);

  const deploy = useCallback(async () => {
    if (dirty && !(await save())) return;
    setBusy(true);
    try {
      const result = await deployFlow(flow.id);
      if (result.__typename === "FlowDeployed") {
        setFlow(result.flow);
        setProblems([]);
        setNotice({ ok: true, text: `Deployed version ${result.version.version}.` });
      } else if (result.__typename === "DeployRefused") {
        setProblems(result.problems);
        setNotice({ ok: false, text: `${result.message} (${result.problems.length} problem(s))` });
      } else {
        setNotice({ ok: false, text: result.message });
      }
    } catch (error) {
      setNotice({ ok: false, text: `Deploying failed: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setBusy(false);
    }
  }, [dirty, flow.id, save]);

  const rename = useCallback(async (name: string, description: string) => {
    const result = await updateFlow(flow.id, { name, description });
    if (result.__typename === "FlowSaved") {
      setFlow({ ...result.flow });
      setNotice({ ok: true, text: "Flow renamed." });
    } else {
      setNotice({ ok: false, text: result.message });
    }
  }, [flow.id]);

  return {
    flow, setFlow, doc, dirty, problems, notice, setNotice, busy, run, setRun, change, save, deploy, rename,
    undo: useCallback(() => setHistory(undo), []),
    redo: useCallback(() => setHistory(redo), []),
    canUndo: canUndo(history),
    canRedo: canRedo(history),
  };
}

export type FlowEditorState = ReturnType<typeof useFlowEditor>;
