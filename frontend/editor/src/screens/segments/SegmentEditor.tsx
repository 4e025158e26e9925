/** Create or change a segment; the condition is previewed live (count and a few members). */

import { useEffect, useState } from "react";
import { describeRefusal, type PreviewResult, previewSegment, saveSegment, type Segment } from "../../api/segments";
import { profileName } from "../../lib/format";

const EXAMPLES = ['profile.traits.country == "FR"', 'events_count("Order Completed", "30d") >= 2',
  '"vip" in profile.tags', "visits(\"7d\") > 3"];

export function SegmentEditor(props: { segment: Segment | null; onSaved: () => void; onCancel: () => void }) {
  const [name, setName] = useState(props.segment?.name ?? "");
  const [description, setDescription] = useState(props.segment?.description ?? "");
  const [condition, setCondition] = useState(props.segment?.condition ?? "");
  const [enabled, setEnabled] = useState(props.segment?.enabled ?? true);
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [errors, setErrors] = useState<string[]>([]);

  useEffect(() => {
    if (!condition.trim()) {
      setPreview(null);
      return undefined;
    }
    const timer = window.setTimeout(() => {
      previewSegment(condition).then(setPreview, (error: unknown) => setErrors([String(error)]));
    }, 400);
    return () => window.clearTimeout(timer);
  }, [condition]);

  const save = async () => {
    const result = await saveSegment(props.segment?.id ?? null, { name: name.trim(), description, condition, enabled });
    if (result.__typename === "SegmentSaved") props.onSaved();
    else setErrors(describeRefusal(result));
  };

  return (
    <section className="card" aria-label="Segment">
      <div className="grid2">
        <div><label htmlFor="seg-name">Name</label>
          <input id="seg-name" value={name} onChange={(e) => setName(e.target.value)} /></div>
        <div><label htmlFor="seg-description">Description</label>
          <input id="seg-description" value={description} onChange={(e) => setDescription(e.target.value)} /></div>
      </div>
      <label htmlFor="seg-condition">Condition (over profile; events_count(type, window), visits(window))</label>
      <textarea id="seg-condition" rows={3} className="mono" value={condition} spellCheck={false}
        onChange={(e) => setCondition(e.target.value)} />
      <p className="muted small">Examples: {EXAMPLES.map((example) => (
        <button key={example} type="button" className="link mono" onClick={() => setCondition(example)}>{example}</button>
      ))}</p>
      <div className="preview" aria-live="polite">
        {preview?.__typename === "SegmentPreview" && (
          <p><strong data-testid="preview-count">{preview.count}{preview.exact ? "" : "+"}</strong> profile(s) match
            now{preview.profiles.edges.length > 0
              && `, e.g. ${preview.profiles.edges.map((e) => profileName(e.node)).join(", ")}`}.</p>
        )}
        {preview?.__typename === "InvalidCondition" && (
          <ul className="error">{describeRefusal(preview).map((e) => <li key={e}>{e}</li>)}</ul>
        )}
      </div>
      <label className="checkbox"><input type="checkbox" checked={enabled}
        onChange={(e) => setEnabled(e.target.checked)} /> Enabled (kept up to date live)</label>
      {errors.length > 0 && <ul className="error" role="alert">{errors.map((e) => <li key={e}>{e}</li>)}</ul>}
      <div className="row">
        <button type="button" className="primary" onClick={save} disabled={!name.trim() || !condition.trim()}>Save
          segment</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </section>
  );
}
