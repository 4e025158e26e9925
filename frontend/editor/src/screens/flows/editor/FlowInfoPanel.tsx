/** The flow's name, description and deployed versions. */

import { type FormEvent, useState } from "react";
import type { Flow } from "../../../api/types";
import { formatDate } from "../../../lib/format";

export function FlowInfoPanel(props: { flow: Flow; onRename: (name: string, description: string) => void }) {
  const [name, setName] = useState(props.flow.name);
  const [description, setDescription] = useState(props.flow.description);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onRename(name.trim(), description);
  };
  return (
    <div className="flow-info">
      <form onSubmit={submit} aria-label="Flow details">
        <label htmlFor="flow-name">Name</label>
        <input id="flow-name" required value={name} onChange={(event) => setName(event.target.value)} />
        <label htmlFor="flow-description">Description</label>
        <textarea id="flow-description" rows={3} value={description}
          onChange={(event) => setDescription(event.target.value)} />
        <button type="submit">Save details</button>
      </form>
      <h3>Versions</h3>
      {props.flow.versions.length === 0 ? <p className="muted">Never deployed.</p> : (
        <ul className="versions">
          {props.flow.versions.map((version) => (
            <li key={version.version}>
              v{version.version} {version.version === props.flow.deployedVersion && <strong>(live)</strong>}
              <span className="muted small"> {formatDate(version.deployedAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
