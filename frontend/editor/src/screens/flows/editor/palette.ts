/** Searching and grouping the node catalogue for the palette. */

import type { NodeType } from "../../../api/types";

/** The node types matching every word of `query` (in the name, id, category or description). */
export function filterNodeTypes(types: NodeType[], query: string): NodeType[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return types;
  return types.filter((type) => {
    const text = `${type.name} ${type.id} ${type.category} ${type.description}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

export interface Category {
  name: string;
  types: NodeType[];
}

/** Categories in alphabetical order ("Flow", which holds the start node, first); types by name. */
export function groupByCategory(types: NodeType[]): Category[] {
  const groups = new Map<string, NodeType[]>();
  for (const type of types) {
    const name = type.category || "Other";
    groups.set(name, [...(groups.get(name) ?? []), type]);
  }
  const rank = (name: string) => (name === "Flow" ? 0 : 1);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, list]) => ({ name, types: [...list].sort((a, b) => Number(b.isStart) - Number(a.isStart)
      || a.name.localeCompare(b.name)) }));
}
