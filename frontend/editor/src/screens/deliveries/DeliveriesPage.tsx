/** Channels' delivery log (the outbox) and the channels' settings. */

import { useState } from "react";
import { outbox } from "../../api/outbox";
import type { OutboxEntry, OutboxStatus } from "../../api/types";
import { Empty, ErrorBox, Loading, PageHeader } from "../../components/Feedback";
import { Tabs } from "../../components/Tabs";
import { useAsync } from "../../lib/useAsync";
import { ChannelsPanel } from "./ChannelsPanel";
import { OutboxRow } from "./OutboxRow";

const STATUSES: OutboxStatus[] = ["QUEUED", "SENDING", "SENT", "FAILED", "DEAD", "REFUSED"];

export default function DeliveriesPage() {
  const [tab, setTab] = useState<"log" | "channels">("log");
  const [status, setStatus] = useState<OutboxStatus | "">("");
  const [channel, setChannel] = useState("");
  const [more, setMore] = useState<OutboxEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const page = useAsync(async () => {
    const result = await outbox({ status: status || null, channel: channel || null }, 30);
    setMore([]);
    setCursor(result.pageInfo.hasNextPage ? result.pageInfo.endCursor : null);
    return result.edges.map((e) => e.node);
  }, [status, channel]);
  const loadMore = async () => {
    const result = await outbox({ status: status || null, channel: channel || null }, 30, cursor);
    setMore((current) => [...current, ...result.edges.map((e) => e.node)]);
    setCursor(result.pageInfo.hasNextPage ? result.pageInfo.endCursor : null);
  };
  const entries = [...(page.data ?? []), ...more];
  return (
    <>
      <PageHeader title="Deliveries" />
      <Tabs label="Deliveries" active={tab} onChange={setTab}
        tabs={[{ id: "log", label: "Delivery log" }, { id: "channels", label: "Channels" }]} />
      {tab === "channels" ? <ChannelsPanel /> : (
        <>
          <div className="inline-form">
            <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as OutboxStatus | "")}>
              <option value="">Any status</option>
              {STATUSES.map((s) => <option key={s} value={s}>{s.toLowerCase()}</option>)}
            </select>
            <input aria-label="Channel" placeholder="channel (email, sms, webhook…)" value={channel}
              onChange={(e) => setChannel(e.target.value.trim())} />
            <button type="button" onClick={page.reload}>Refresh</button>
          </div>
          {page.error && <ErrorBox error={page.error} onRetry={page.reload} />}
          {page.loading && !page.data && <Loading what="deliveries" />}
          {page.data && entries.length === 0 && <Empty>Nothing in the outbox{status ? ` with status ${status
            .toLowerCase()}` : ""}.</Empty>}
          {entries.length > 0 && (
            <table className="table">
              <thead><tr><th>Channel</th><th>Profile</th><th>Status</th><th>Tries</th><th>Queued</th><th /></tr></thead>
              <tbody>{entries.map((entry) => <OutboxRow key={entry.id} entry={entry} onChanged={page.reload} />)}</tbody>
            </table>
          )}
          {cursor && <button type="button" onClick={loadMore}>Load more</button>}
        </>
      )}
    </>
  );
}
