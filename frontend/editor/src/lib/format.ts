/** Formatting helpers for dates, ids and JSON. */

export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

export function timeAgo(value: string | null | undefined, now: number = Date.now()): string {
  if (!value) return "—";
  const seconds = Math.round((now - new Date(value).getTime()) / 1000);
  if (Number.isNaN(seconds)) return value;
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export function shortId(id: string, length = 8): string {
  return id.length > length ? `${id.slice(0, length)}…` : id;
}

export function toJSON(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "null";
}

/** A readable name for a profile: e-mail, name or user id, else its id. */
export function profileName(profile: { id: string; traits?: Record<string, unknown>; userIds?: string[] }): string {
  const traits = profile.traits ?? {};
  for (const key of ["email", "name", "first_name"]) {
    const value = traits[key];
    if (typeof value === "string" && value) return value;
  }
  return profile.userIds?.[0] ?? shortId(profile.id, 12);
}

/** Split "a, b\nc" into ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text.split(/[\n,]/).map((part) => part.trim()).filter(Boolean);
}
