/** The node palette: the catalogue by category, searchable; drag a node onto the canvas (or press Add). */

import { type DragEvent, useMemo, useState } from "react";
import type { NodeType } from "../../../api/types";
import { Markdown } from "../../../components/Markdown";
import { categoryColor } from "./colors";
import { filterNodeTypes, groupByCategory } from "./palette";

export const DRAG_TYPE = "application/x-cairn-node-type";

export function Palette(props: { nodeTypes: NodeType[]; onAdd: (nodeType: NodeType) => void }) {
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const groups = useMemo(() => groupByCategory(filterNodeTypes(props.nodeTypes, query)), [props.nodeTypes, query]);

  const dragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(DRAG_TYPE, type.id);
    event.dataTransfer.setData("text/plain", type.id);
    event.dataTransfer.effectAllowed = "copy";
  };

  return (
    <aside className="palette" aria-label="Node palette">
      <input type="search" placeholder="Search nodes…" aria-label="Search nodes" value={query}
        onChange={(event) => setQuery(event.target.value)} />
      {groups.length === 0 && <p className="muted">No node matches “{query}”.</p>}
      {groups.map((group) => (
        <section key={group.name} className="palette-group" aria-label={group.name}>
          <h3 style={{ color: categoryColor(group.name) }}>{group.name}</h3>
          <ul>
            {group.types.map((type) => (
              <li key={type.id} className={type.disabled ? "palette-item disabled" : "palette-item"}
                data-node-type={type.id}>
                <div className="palette-row" draggable={!type.disabled} onDragStart={(event) => dragStart(event, type)}
                  title={type.description}>
                  <span className="palette-handle" aria-hidden>⠿</span>
                  <button type="button" className="link palette-name" aria-expanded={open === type.id}
                    onClick={() => setOpen(open === type.id ? null : type.id)}>{type.name}</button>
                  <button type="button" className="small" aria-label={`Add ${type.name}`}
                    disabled={Boolean(type.disabled)} onClick={() => props.onAdd(type)}>+</button>
                </div>
                {open === type.id && (
                  <div className="palette-docs">
                    <p>{type.description}</p>
                    <p className="muted small"><code>{type.id}</code> v{type.version} · {type.plugin}</p>
                    {type.disabled && <p className="error">Disabled: {type.disabled}</p>}
                    {type.docs && <Markdown text={type.docs} />}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
