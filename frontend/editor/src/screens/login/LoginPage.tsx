/** Paste an admin token; it is checked with a cheap query, then kept in localStorage. */

import { type FormEvent, useState } from "react";
import { type Capabilities, loadCapabilities } from "../../api/capabilities";

export function LoginPage(props: { onLogin: (token: string, capabilities: Capabilities) => void;
  problem: string | null }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(props.problem);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, "");
    if (!value) {
      setError("Paste an admin token first.");
      return;
    }
    setBusy(true);
    try {
      props.onLogin(value, await loadCapabilities(value));
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-label="Log in">
        <h1><span className="logo" aria-hidden>◭</span> Cairn</h1>
        <p className="muted">Paste an admin token to open the editor. Create one on the server with
          <code> cairn admin create-token</code>.</p>
        <label htmlFor="token">Admin token</label>
        <input id="token" name="token" type="password" autoComplete="off" autoFocus value={token}
          onChange={(event) => setToken(event.target.value)} placeholder="cairn_…" />
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{busy ? "Checking…" : "Log in"}</button>
        <p className="muted small">The token stays in this browser (localStorage) until you log out.</p>
      </form>
    </main>
  );
}
