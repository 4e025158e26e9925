/** A small, safe Markdown renderer for plugin docs: paragraphs, lists, tables, code, bold, italics.
 * Text is never injected as HTML: everything becomes React elements. */

import { Fragment, type ReactNode } from "react";

function inline(text: string, key: string): ReactNode[] {
  const parts = text.split(/(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*)/g);
  return parts.filter(Boolean).map((part, index) => {
    const id = `${key}-${index}`;
    if (part.startsWith("`") && part.endsWith("`") && part.length > 1) return <code key={id}>{part.slice(1, -1)}</code>;
    if (part.startsWith("**") && part.endsWith("**")) return <strong key={id}>{part.slice(2, -2)}</strong>;
    if (part.startsWith("*") && part.endsWith("*") && part.length > 2) return <em key={id}>{part.slice(1, -1)}</em>;
    return <Fragment key={id}>{part}</Fragment>;
  });
}

function cells(row: string): string[] {
  return row.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((cell) => cell.trim());
}

export function Markdown({ text }: { text: string }) {
  const blocks = text.trim().split(/\n\s*\n/);
  return (
    <div className="markdown">
      {blocks.map((block, index) => {
        const key = `b${index}`;
        const lines = block.split("\n");
        if (block.startsWith("```")) return <pre key={key}>{lines.slice(1, lines.at(-1)?.startsWith("```") ? -1 : undefined).join("\n")}</pre>;
        if (lines.every((line) => /^\s*[-*] /.test(line) || /^\s{2,}\S/.test(line))) {
          const items = block.split(/\n(?=\s*[-*] )/).map((item) => item.replace(/^\s*[-*] /, ""));
          return <ul key={key}>{items.map((item, i) => <li key={i}>{inline(item, `${key}-${i}`)}</li>)}</ul>;
        }
        if (lines.length >= 2 && lines[0].includes("|") && /^[\s|:-]+$/.test(lines[1])) {
          const [head, , ...rows] = lines;
          return (
            <table key={key}>
              <thead><tr>{cells(head).map((c, i) => <th key={i}>{inline(c, `${key}-h${i}`)}</th>)}</tr></thead>
              <tbody>{rows.map((row, r) => (
                <tr key={r}>{cells(row).map((c, i) => <td key={i}>{inline(c, `${key}-${r}-${i}`)}</td>)}</tr>
              ))}</tbody>
            </table>
          );
        }
        const heading = /^(#{1,4}) (.*)$/.exec(block);
        if (heading && lines.length === 1) return <h4 key={key}>{inline(heading[2], key)}</h4>;
        return <p key={key}>{inline(lines.join(" "), key)}</p>;
      })}
    </div>
  );
}
