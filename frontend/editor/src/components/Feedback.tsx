/** Loading, error and empty states. */

import type { ReactNode } from "react";

export function Loading({ what }: { what?: string }) {
  return <p className="loading" role="status">{what ? `Loading ${what.toLowerCase()}…` : "Loading…"}</p>;
}

export function ErrorBox({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error-box" role="alert">
      {title && <strong>{title}</strong>}
      <p>{message}</p>
      {onRetry && <button type="button" onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A short message after an action: green for done, red for refused. */
export function Notice({ notice }: { notice: { ok: boolean; text: string } | null }) {
  if (!notice) return null;
  return <p className={notice.ok ? "notice ok" : "notice bad"} role="status">{notice.text}</p>;
}

export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <div className="actions">{children}</div>
    </header>
  );
}
