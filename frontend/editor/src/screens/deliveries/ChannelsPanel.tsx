/** The installed channels and their settings (stored values override environment variables). */

import { useState } from "react";
import { channels, setChannelSettings } from "../../api/outbox";
import type { Channel, ChannelSetting, JSONValue } from "../../api/types";
import { ErrorBox, Loading } from "../../components/Feedback";
import { useAsync } from "../../lib/useAsync";

export function ChannelsPanel() {
  const list = useAsync(channels, []);
  if (list.error) return <ErrorBox error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading what="channels" />;
  return <>{list.data.map((channel) => <ChannelCard key={channel.id} channel={channel} onSaved={list.reload} />)}</>;
}

function shown(setting: ChannelSetting): string {
  if (setting.value === null || setting.value === undefined) return "—";
  if (setting.secret) return "•••••• (set)";
  return typeof setting.value === "string" ? setting.value : JSON.stringify(setting.value);
}

function ChannelCard({ channel, onSaved }: { channel: Channel; onSaved: () => void }) {
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const values: Record<string, JSONValue> = {};
    for (const [field, text] of Object.entries(edits)) {
      if (text === "") continue;
      try {
        values[field] = JSON.parse(text) as JSONValue;
      } catch {
        values[field] = text;
      }
    }
    setError(await setChannelSettings(channel.id, values));
    setEdits({});
    onSaved();
  };
  return (
    <section className="card" aria-label={`Channel ${channel.name}`}>
      <h2>{channel.name} <code className="small">{channel.id}</code></h2>
      <p className="muted">{channel.description}</p>
      <table className="table">
        <thead><tr><th>Setting</th><th>Value</th><th>From</th><th>New value</th></tr></thead>
        <tbody>
          {channel.settings.map((setting) => (
            <tr key={setting.field}>
              <td><code>{setting.field}</code>{setting.required ? "*" : ""}
                <div className="muted small">{setting.description} (env {setting.env})</div></td>
              <td>{shown(setting)}</td>
              <td className="small">{setting.source ?? "default"}</td>
              <td><input aria-label={`New ${setting.field}`} type={setting.secret ? "password" : "text"}
                value={edits[setting.field] ?? ""}
                onChange={(e) => setEdits({ ...edits, [setting.field]: e.target.value })} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <p className="error">{error}</p>}
      <button type="button" onClick={save} disabled={Object.values(edits).every((v) => v === "")}>Save settings</button>
    </section>
  );
}
