import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { Palette } from "../src/screens/flows/editor/Palette";
import { filterNodeTypes, groupByCategory } from "../src/screens/flows/editor/palette";
import { NODE_TYPES } from "./helpers";

describe("palette filtering", () => {
  it("matches every word of the query in name, id, category or description", () => {
    expect(filterNodeTypes(NODE_TYPES, "trait").map((t) => t.id)).toEqual(["cairn.set_trait"]);
    expect(filterNodeTypes(NODE_TYPES, "PROFILE tag").map((t) => t.id)).toEqual(["cairn.add_tag"]);
    expect(filterNodeTypes(NODE_TYPES, "integration").map((t) => t.id)).toEqual(["cairn.http_request"]);
    expect(filterNodeTypes(NODE_TYPES, "   ")).toHaveLength(NODE_TYPES.length);
    expect(filterNodeTypes(NODE_TYPES, "no such node")).toEqual([]);
  });

  it("groups by category, Flow first, the start node first in it", () => {
    const groups = groupByCategory(NODE_TYPES);
    expect(groups[0].name).toBe("Flow");
    expect(groups[0].types[0].id).toBe("cairn.start");
    const names = groups.slice(1).map((g) => g.name);
    expect(names).toEqual([...names].sort());
  });
});

describe("<Palette>", () => {
  it("shows the catalogue by category and filters it as one types", async () => {
    render(<Palette nodeTypes={NODE_TYPES} onAdd={() => {}} />);
    expect(screen.getByRole("region", { name: "Profile" })).toBeTruthy();
    await userEvent.type(screen.getByRole("searchbox", { name: "Search nodes" }), "widget");
    expect(screen.queryByRole("region", { name: "Profile" })).toBeNull();
    const ux = screen.getByRole("region", { name: "UX" });
    expect(within(ux).getByRole("button", { name: "Show widget" })).toBeTruthy();
    await userEvent.clear(screen.getByRole("searchbox", { name: "Search nodes" }));
    await userEvent.type(screen.getByRole("searchbox", { name: "Search nodes" }), "zzz");
    expect(screen.getByText(/No node matches/)).toBeTruthy();
  });

  it("shows a node's docs on demand and adds it with its + button", async () => {
    const onAdd = vi.fn();
    render(<Palette nodeTypes={NODE_TYPES} onAdd={onAdd} />);
    await userEvent.click(screen.getByRole("button", { name: "Condition" }));
    expect(screen.getByText(/Evaluates an expression/)).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Add Condition" }));
    expect(onAdd).toHaveBeenCalledWith(expect.objectContaining({ id: "cairn.condition" }));
  });

  it("puts the node type id on the drag data", () => {
    render(<Palette nodeTypes={NODE_TYPES} onAdd={() => {}} />);
    const row = screen.getByRole("button", { name: "Start" }).closest(".palette-row") as HTMLElement;
    const data = new Map<string, string>();
    const event = new Event("dragstart", { bubbles: true }) as DragEvent;
    Object.defineProperty(event, "dataTransfer", { value: { setData: (k: string, v: string) => data.set(k, v),
      effectAllowed: "" } });
    row.dispatchEvent(event);
    expect(data.get("application/x-cairn-node-type")).toBe("cairn.start");
  });
});
