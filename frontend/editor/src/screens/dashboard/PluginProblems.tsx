/** Plugins that failed to load or raised, if any (the admin should know). */

import { pluginProblems } from "../../api/system";
import { useCapabilities } from "../../capabilities";
import { formatDate } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";

export function PluginProblems() {
  const capabilities = useCapabilities();
  const available = capabilities.queries.has("pluginProblems");
  const problems = useAsync(() => (available ? pluginProblems() : Promise.resolve([])), [available]);
  if (!problems.data?.length) return null;
  return (
    <section className="error-box" aria-label="Plugin problems">
      <strong>Plugin problems</strong>
      <ul>
        {problems.data.map((p) => (
          <li key={`${p.plugin}${p.stage}${p.message}`}>
            <code>{p.plugin}</code>{p.nodeType && <> / <code>{p.nodeType}</code></>} ({p.stage}
            {p.disabled ? ", disabled" : ""}, ×{p.count}, {formatDate(p.lastAt)}): {p.message}
            {p.hint && <span className="muted"> — {p.hint}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
