/** Event sources: create one, copy its write key and the tracker snippet, enable or disable it. */

import { type FormEvent, useState } from "react";
import { createSource, listSources } from "../../api/sources";
import { Empty, ErrorBox, Loading, PageHeader } from "../../components/Feedback";
import { splitList } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { SourceCard } from "./SourceCard";

export default function SourcesPage() {
  const sources = useAsync(listSources, []);
  const [name, setName] = useState("");
  const [origins, setOrigins] = useState("");
  const [errors, setErrors] = useState<string[]>([]);
  const [created, setCreated] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const result = await createSource(name.trim(), splitList(origins));
    if (result.__typename === "SourceCreated") {
      setErrors([]);
      setName("");
      setOrigins("");
      setCreated(result.source.id);
      sources.reload();
    } else {
      setErrors([result.message, ...("errors" in result ? result.errors.map((e) => `${e.field}: ${e.message}`) : [])]);
    }
  };

  return (
    <>
      <PageHeader title="Sources" />
      <p className="muted">A source is a website, app or server that sends events, with its own write key.</p>
      <form className="card" onSubmit={create} aria-label="New source">
        <div className="grid2">
          <div>
            <label htmlFor="source-name">Name</label>
            <input id="source-name" required value={name} onChange={(event) => setName(event.target.value)}
              placeholder="e.g. My shop" />
          </div>
          <div>
            <label htmlFor="source-origins">Allowed origins (websites, comma-separated)</label>
            <input id="source-origins" value={origins} onChange={(event) => setOrigins(event.target.value)}
              placeholder="https://shop.example.com" />
          </div>
        </div>
        {errors.length > 0 && <ul className="error" role="alert">{errors.map((e) => <li key={e}>{e}</li>)}</ul>}
        <button type="submit" className="primary">Create source</button>
      </form>
      {sources.error && <ErrorBox error={sources.error} onRetry={sources.reload} />}
      {sources.loading && !sources.data && <Loading what="sources" />}
      {sources.data?.length === 0 && <Empty>No sources yet.</Empty>}
      {sources.data?.map((source) => (
        <SourceCard key={source.id} source={source} open={source.id === created} onChanged={sources.reload} />
      ))}
    </>
  );
}
