/** Create or change a consent type. */

import { type FormEvent, useState } from "react";
import { saveConsentType } from "../../api/consents";
import type { ConsentType } from "../../api/types";
import { splitList } from "../../lib/format";

const BLANK: ConsentType = { id: "", name: "", description: "", required: false, revocable: true,
  expiresAfterDays: null, channels: [], purposes: ["marketing"] };

export function ConsentTypeForm(props: { initial: ConsentType | null; purposes: { id: string }[];
  onSaved: () => void; onCancel: () => void }) {
  const [value, setValue] = useState<ConsentType>(props.initial ?? BLANK);
  const [channels, setChannels] = useState((props.initial ?? BLANK).channels.join(", "));
  const [errors, setErrors] = useState<string[]>([]);
  const set = <K extends keyof ConsentType>(key: K, v: ConsentType[K]) => setValue({ ...value, [key]: v });
  const togglePurpose = (id: string) => set("purposes", value.purposes.includes(id)
    ? value.purposes.filter((p) => p !== id) : [...value.purposes, id]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await saveConsentType({ ...value, channels: splitList(channels) });
    if (result.__typename === "ConsentTypeSaved") props.onSaved();
    else setErrors([result.message, ...result.errors.map((e) => `${e.field}: ${e.message}`)]);
  };

  return (
    <form className="card" onSubmit={submit} aria-label="Consent type">
      <h3>{props.initial ? `Change ${props.initial.name}` : "New consent type"}</h3>
      <div className="grid2">
        <div><label htmlFor="ct-id">Id</label>
          <input id="ct-id" required disabled={Boolean(props.initial)} value={value.id}
            onChange={(e) => set("id", e.target.value)} placeholder="marketing-email" /></div>
        <div><label htmlFor="ct-name">Name</label>
          <input id="ct-name" required value={value.name} onChange={(e) => set("name", e.target.value)} /></div>
        <div><label htmlFor="ct-channels">Channels (empty: every channel)</label>
          <input id="ct-channels" value={channels} onChange={(e) => setChannels(e.target.value)} placeholder="email, sms" />
        </div>
        <div><label htmlFor="ct-expires">Expires after (days)</label>
          <input id="ct-expires" type="number" min={1} value={value.expiresAfterDays ?? ""}
            onChange={(e) => set("expiresAfterDays", e.target.value ? Number(e.target.value) : null)} /></div>
      </div>
      <label htmlFor="ct-description">Description</label>
      <textarea id="ct-description" rows={2} value={value.description}
        onChange={(e) => set("description", e.target.value)} />
      <fieldset className="inline"><legend>Purposes</legend>
        {props.purposes.map((p) => (
          <label key={p.id} className="checkbox"><input type="checkbox" checked={value.purposes.includes(p.id)}
            onChange={() => togglePurpose(p.id)} /> {p.id}</label>
        ))}
      </fieldset>
      <label className="checkbox"><input type="checkbox" checked={value.required}
        onChange={(e) => set("required", e.target.checked)} /> Required to use the service</label>
      <label className="checkbox"><input type="checkbox" checked={value.revocable}
        onChange={(e) => set("revocable", e.target.checked)} /> Customers may withdraw it</label>
      {errors.length > 0 && <ul className="error" role="alert">{errors.map((e) => <li key={e}>{e}</li>)}</ul>}
      <div className="row">
        <button type="submit" className="primary">Save consent type</button>
        {props.initial && <button type="button" onClick={props.onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
