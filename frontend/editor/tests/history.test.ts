import { describe, expect, it } from "vitest";
import { HISTORY_LIMIT, canRedo, canUndo, commit, initHistory, redo, undo } from "../src/screens/flows/editor/history";

describe("undo/redo history", () => {
  it("undoes and redoes commits in order", () => {
    let history = initHistory("a");
    history = commit(history, "b");
    history = commit(history, "c");
    expect(history.present).toBe("c");
    history = undo(history);
    expect(history.present).toBe("b");
    history = undo(history);
    expect(history.present).toBe("a");
    expect(canUndo(history)).toBe(false);
    history = redo(history);
    history = redo(history);
    expect(history.present).toBe("c");
    expect(canRedo(history)).toBe(false);
  });

  it("drops the redo branch when a new change is committed", () => {
    let history = commit(commit(initHistory(1), 2), 3);
    history = commit(undo(history), 4);
    expect(history.present).toBe(4);
    expect(canRedo(history)).toBe(false);
    expect(undo(history).present).toBe(2);
  });

  it("merges commits with the same key into one step (typing in a field)", () => {
    let history = initHistory("");
    for (const text of ["v", "vi", "vip"]) history = commit(history, text, "config:set_trait");
    history = commit(history, "other", "config:condition");
    expect(undo(history).present).toBe("vip");
    expect(undo(undo(history)).present).toBe("");
  });

  it("ignores a commit of the present value, and undo/redo with nothing to do", () => {
    const history = initHistory({ n: 1 });
    expect(commit(history, history.present)).toBe(history);
    expect(undo(history)).toBe(history);
    expect(redo(history)).toBe(history);
  });

  it("keeps at most HISTORY_LIMIT steps", () => {
    let history = initHistory(0);
    for (let i = 1; i <= HISTORY_LIMIT + 20; i += 1) history = commit(history, i);
    expect(history.past).toHaveLength(HISTORY_LIMIT);
  });
});
