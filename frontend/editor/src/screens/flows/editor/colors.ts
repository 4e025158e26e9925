/** A stable color per node category. */

const KNOWN: Record<string, string> = {
  Flow: "#64748b", Profile: "#3b82f6", Consent: "#10b981", Data: "#8b5cf6", Integration: "#f59e0b", UX: "#ec4899",
  AI: "#06b6d4", Channels: "#ef4444", Messaging: "#ef4444",
};
const OTHERS = ["#0ea5e9", "#84cc16", "#d946ef", "#f97316", "#14b8a6"];

export function categoryColor(category: string): string {
  if (KNOWN[category]) return KNOWN[category];
  let hash = 0;
  for (const char of category) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return OTHERS[hash % OTHERS.length];
}
