/** The dashboard: events per type over time, new vs returning profiles, the live event stream. */

import { useState } from "react";
import { PageHeader } from "../../components/Feedback";
import { EventCharts } from "./EventCharts";
import { LiveEvents } from "./LiveEvents";
import { PluginProblems } from "./PluginProblems";
import { RANGES } from "./buckets";

export default function DashboardPage() {
  const [rangeId, setRangeId] = useState("24h");
  const range = RANGES.find((r) => r.id === rangeId) ?? RANGES[0];
  return (
    <>
      <PageHeader title="Dashboard">
        <select aria-label="Time range" value={rangeId} onChange={(event) => setRangeId(event.target.value)}>
          {RANGES.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
        </select>
      </PageHeader>
      <PluginProblems />
      <div className="dashboard">
        <div className="dashboard-charts"><EventCharts range={range} /></div>
        <LiveEvents />
      </div>
    </>
  );
}
