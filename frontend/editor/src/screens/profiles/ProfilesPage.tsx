/** Find profiles by identifier, user id, anonymous id or trait; most recently seen first. */

import { type FormEvent, useState } from "react";
import { type ProfileSearch, searchProfiles } from "../../api/profiles";
import type { JSONValue, ProfileSummary } from "../../api/types";
import { Empty, ErrorBox, Loading, PageHeader } from "../../components/Feedback";
import { formatDate, profileName } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { Link } from "../../router";

type Kind = "identifier" | "userId" | "anonymousId" | "trait";

function literal(text: string): JSONValue {
  try {
    return JSON.parse(text) as JSONValue;
  } catch {
    return text;
  }
}

export function buildSearch(kind: Kind, value: string, traitName: string): ProfileSearch | null {
  const text = value.trim();
  if (!text && kind !== "trait") return null;
  if (kind === "trait") return traitName.trim() ? { trait: { name: traitName.trim(), value: literal(text) } } : null;
  return { [kind]: text };
}

export default function ProfilesPage() {
  const [kind, setKind] = useState<Kind>("identifier");
  const [value, setValue] = useState("");
  const [traitName, setTraitName] = useState("");
  const [search, setSearch] = useState<ProfileSearch | null>(null);
  const [extra, setExtra] = useState<ProfileSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const page = useAsync(async () => {
    const result = await searchProfiles(search, 25);
    setExtra([]);
    setCursor(result.pageInfo.hasNextPage ? result.pageInfo.endCursor : null);
    return result.edges.map((e) => e.node);
  }, [JSON.stringify(search)]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(buildSearch(kind, value, traitName));
  };
  const more = async () => {
    const result = await searchProfiles(search, 25, cursor);
    setExtra((current) => [...current, ...result.edges.map((e) => e.node)]);
    setCursor(result.pageInfo.hasNextPage ? result.pageInfo.endCursor : null);
  };
  const profiles = [...(page.data ?? []), ...extra];

  return (
    <>
      <PageHeader title="Profiles" />
      <form className="card inline-form" onSubmit={submit} aria-label="Search profiles">
        <select aria-label="Search by" value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
          <option value="identifier">E-mail, phone or identifier</option>
          <option value="userId">User id</option>
          <option value="anonymousId">Anonymous id</option>
          <option value="trait">Trait</option>
        </select>
        {kind === "trait" && <input aria-label="Trait name" placeholder="trait name" value={traitName}
          onChange={(event) => setTraitName(event.target.value)} />}
        <input aria-label="Search value" type="search" placeholder={kind === "trait" ? "value (JSON or text)" : "value"}
          value={value} onChange={(event) => setValue(event.target.value)} />
        <button type="submit" className="primary">Search</button>
        {search && <button type="button" onClick={() => { setValue(""); setSearch(null); }}>Show all</button>}
      </form>
      {page.error && <ErrorBox error={page.error} onRetry={page.reload} />}
      {page.loading && !page.data && <Loading what="profiles" />}
      {page.data && profiles.length === 0 && <Empty>No profile matches.</Empty>}
      {profiles.length > 0 && (
        <table className="table">
          <thead><tr><th>Profile</th><th>Identifiers</th><th>Segments</th><th>Last seen</th></tr></thead>
          <tbody>
            {profiles.map((profile) => (
              <tr key={profile.id}>
                <td><Link to={`/profiles/${profile.id}`}>{profileName(profile)}</Link></td>
                <td className="small">{profile.identifiers.map((i) => `${i.kind}: ${i.values.join(", ")}`).join(" · ")
                  || <span className="muted">anonymous</span>}</td>
                <td>{profile.segments.map((s) => <span key={s} className="tag">{s}</span>)}</td>
                <td>{formatDate(profile.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && <button type="button" onClick={more}>Load more</button>}
    </>
  );
}
