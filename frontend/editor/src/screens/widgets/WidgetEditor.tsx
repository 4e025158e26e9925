/** Edit widget settings through the form generated from the widget's schema, with a preview. */

import { useEffect, useState } from "react";
import { saveWidgetInstance, widgetPreview } from "../../api/widgets";
import type { JSONObject, WidgetInstance, WidgetType } from "../../api/types";
import { ConfigForm } from "../../forms/ConfigForm";

export function WidgetEditor(props: { types: WidgetType[]; instance: WidgetInstance | null; onSaved: () => void;
  onCancel: () => void }) {
  const [widget, setWidget] = useState(props.instance?.widget ?? props.types[0]?.id ?? "");
  const type = props.types.find((t) => t.id === widget);
  const [name, setName] = useState(props.instance?.name ?? "");
  const [config, setConfig] = useState<JSONObject>(props.instance?.config ?? type?.exampleConfig ?? {});
  const [errors, setErrors] = useState<string[]>([]);
  const [preview, setPreview] = useState<string | null>(null);

  useEffect(() => {
    if (!widget) return undefined;
    const timer = window.setTimeout(() => {
      widgetPreview(widget, config).then((result) => {
        setPreview(result.__typename === "WidgetPreview" ? result.html : null);
      }, () => setPreview(null));
    }, 300);
    return () => window.clearTimeout(timer);
  }, [widget, config]);

  const choose = (id: string) => {
    setWidget(id);
    setConfig(props.types.find((t) => t.id === id)?.exampleConfig ?? {});
  };
  const save = async () => {
    const result = await saveWidgetInstance(props.instance?.id ?? null, name.trim(), widget, config);
    if (result.__typename === "WidgetInstanceSaved") props.onSaved();
    else setErrors([result.message, ...("errors" in result ? result.errors.map((e) => `${e.field}: ${e.message}`)
      : [])]);
  };

  return (
    <section className="card widget-editor" aria-label="Widget settings">
      <div className="grid2">
        <div>
          <label htmlFor="widget-name">Name</label>
          <input id="widget-name" required value={name} onChange={(e) => setName(e.target.value)} />
          <label htmlFor="widget-type">Widget</label>
          <select id="widget-type" value={widget} disabled={Boolean(props.instance)}
            onChange={(e) => choose(e.target.value)}>
            {props.types.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
          {type && <ConfigForm schema={type.configSchema} config={config} onChange={setConfig} idPrefix="widget" />}
        </div>
        <div>
          <h3>Preview</h3>
          {preview ? <iframe title="Widget preview" className="widget-preview" sandbox="" srcDoc={preview} />
            : <p className="muted">No preview (the settings are not valid yet).</p>}
        </div>
      </div>
      {errors.length > 0 && <ul className="error" role="alert">{errors.map((e) => <li key={e}>{e}</li>)}</ul>}
      <div className="row">
        <button type="button" className="primary" onClick={save} disabled={!name.trim()}>Save</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </section>
  );
}
