/** A JSON value, pretty-printed (folded when long). */

import { toJSON } from "../lib/format";

export function JsonView({ value, label, open = true }: { value: unknown; label?: string; open?: boolean }) {
  const text = toJSON(value);
  if (!label) return <pre className="json">{text}</pre>;
  return (
    <details className="json-details" open={open}>
      <summary>{label}</summary>
      <pre className="json">{text}</pre>
    </details>
  );
}
