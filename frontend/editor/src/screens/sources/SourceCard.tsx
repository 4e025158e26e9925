/** One source: write key, tracker snippet, allowed origins, enabled. */

import { useState } from "react";
import { trackerSnippet, updateSource } from "../../api/sources";
import type { Source } from "../../api/types";
import { CopyButton } from "../../components/CopyButton";
import { formatDate, splitList } from "../../lib/format";

export function SourceCard(props: { source: Source; open: boolean; onChanged: () => void }) {
  const { source } = props;
  const [origins, setOrigins] = useState(source.allowedOrigins.join(", "));
  const [error, setError] = useState<string | null>(null);
  const snippet = trackerSnippet(window.location.origin, source.writeKey);

  const save = async (changes: { allowedOrigins?: string[]; enabled?: boolean }) => {
    const result = await updateSource(source.id, changes);
    if (result.__typename === "SourceUpdated") {
      setError(null);
      props.onChanged();
    } else {
      setError(result.message);
    }
  };

  return (
    <details className="card source" open={props.open} data-source-id={source.id}>
      <summary>
        <strong>{source.name}</strong> <span className={`badge ${source.enabled ? "ok" : "bad"}`}>
          {source.enabled ? "enabled" : "disabled"}</span>
        <span className="muted small"> created {formatDate(source.createdAt)}</span>
      </summary>
      <label>Write key</label>
      <div className="row">
        <code className="write-key" data-testid="write-key">{source.writeKey}</code>
        <CopyButton text={source.writeKey} label="Copy key" />
      </div>
      <label>Tracker snippet (paste before &lt;/body&gt;)</label>
      <pre className="snippet">{snippet}</pre>
      <CopyButton text={snippet} label="Copy snippet" />
      <p className="muted small">Servers and apps: any Segment-spec SDK, with the write key as user name on
        {" "}<code>{window.location.origin}/v1/…</code>.</p>
      <label htmlFor={`origins-${source.id}`}>Allowed origins</label>
      <div className="row">
        <input id={`origins-${source.id}`} value={origins} onChange={(event) => setOrigins(event.target.value)} />
        <button type="button" onClick={() => save({ allowedOrigins: splitList(origins) })}>Save origins</button>
        <button type="button" className={source.enabled ? "danger" : ""}
          onClick={() => save({ enabled: !source.enabled })}>{source.enabled ? "Disable" : "Enable"}</button>
      </div>
      {error && <p className="error">{error}</p>}
    </details>
  );
}
