/** TypeScript shapes of the GraphQL types the editor reads (field names as in the schema). */

export type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };
export type JSONObject = { [key: string]: JSONValue };
export type DateTime = string;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

export interface FieldError {
  field: string;
  message: string;
}

/** The expected-error members of result unions. */
export interface InvalidInput {
  __typename: "InvalidInput";
  message: string;
  errors: FieldError[];
}

export interface NotFound {
  __typename: "NotFound";
  message: string;
  id: string;
}

// --- flows -----------------------------------------------------------------------

export interface NodeType {
  id: string;
  version: number;
  name: string;
  category: string;
  description: string;
  docs: string;
  inputs: string[];
  outputs: string[];
  configSchema: JSONObject;
  plugin: string;
  isStart: boolean;
  disabled: string | null;
}

export interface Position {
  x: number;
  y: number;
}

export interface FlowNode {
  id: string;
  type: string;
  config: JSONObject;
  position: Position;
  label: string | null;
}

export interface FlowEdge {
  fromNode: string;
  fromPort: string;
  toNode: string;
}

/** A flow's graph as the server stores it (the editor's document). */
export interface FlowGraph {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export interface GraphProblem {
  nodeId: string | null;
  code: string;
  message: string;
  hint: string;
}

export interface FlowVersion {
  version: number;
  name: string;
  deployedAt: DateTime;
}

export interface Rule {
  id: string;
  name: string;
  eventType: string;
  sourceId: string | null;
  flowId: string;
  condition: string | null;
  enabled: boolean;
  createdAt: DateTime | null;
}

export interface FlowSummary {
  id: string;
  name: string;
  description: string;
  deployedVersion: number | null;
  updatedAt: DateTime;
}

export interface Flow extends FlowSummary {
  draft: FlowGraph;
  versions: FlowVersion[];
  rules: Rule[];
}

export interface TraceOutput {
  port: string;
  payload: JSONValue;
}

export interface TraceStep {
  step: number;
  nodeId: string;
  nodeType: string;
  input: JSONValue;
  outputs: TraceOutput[];
  changes: JSONValue;
  ux: JSONValue;
  logs: string[];
  error: string | null;
  durationMs: number;
}

export interface FlowTrace {
  id: string;
  flowId: string;
  flowName: string;
  flowVersion: number | null;
  eventId: string | null;
  eventType: string;
  profileId: string | null;
  dryRun: boolean;
  status: string;
  error: string | null;
  errorCount: number;
  startedAt: DateTime;
  durationMs: number;
  steps: TraceStep[];
}

export interface DryRunResult {
  __typename: "DryRunResult";
  problems: GraphProblem[];
  trace: FlowTrace;
  changes: JSONValue;
  profile: JSONValue;
  calls: JSONValue;
  ux: JSONValue;
}

// --- profiles, events, sessions --------------------------------------------------

export interface EventTypeCount {
  type: string;
  count: number;
}

export interface CairnEvent {
  id: string;
  type: string;
  kind: string;
  sourceId: string;
  profileId: string;
  sessionId: string | null;
  properties: JSONObject;
  occurredAt: DateTime;
  receivedAt: DateTime;
}

export interface Session {
  id: string;
  startedAt: DateTime;
  lastActivityAt: DateTime;
  eventCount: number;
  device: JSONValue;
  browser: JSONValue;
  os: JSONValue;
  referrer: string | null;
  utm: JSONValue;
}

export interface ProfileSummary {
  id: string;
  userIds: string[];
  identifiers: { kind: string; values: string[] }[];
  traits: JSONObject;
  firstSeen: DateTime | null;
  lastSeen: DateTime | null;
  segments: string[];
}

export interface Profile extends ProfileSummary {
  version: number;
  anonymousIds: string[];
  stats: { events: number; visits: number; eventTypes: EventTypeCount[] };
  interests: JSONObject;
  tags: string[];
  consents: JSONValue;
  mergedFrom: { profileId: string; mergedAt: DateTime; reason: string }[];
}

// --- sources ---------------------------------------------------------------------

export interface Source {
  id: string;
  name: string;
  writeKey: string;
  allowedOrigins: string[];
  enabled: boolean;
  createdAt: DateTime | null;
}

// --- consents, outbox, widgets, privacy --------------------------------------------

export interface ConsentType {
  id: string;
  name: string;
  description: string;
  required: boolean;
  revocable: boolean;
  expiresAfterDays: number | null;
  channels: string[];
  purposes: string[];
}

export interface ProfileConsent {
  typeId: string;
  granted: boolean;
  state: string;
  updatedAt: DateTime | null;
  expiresAt: DateTime | null;
  source: string | null;
}

export interface ConsentHistoryEntry {
  id: string;
  typeId: string;
  granted: boolean;
  previous: string;
  outcome: string;
  reason: string | null;
  source: string;
  at: DateTime;
}

export type OutboxStatus = "QUEUED" | "SENDING" | "SENT" | "FAILED" | "DEAD" | "REFUSED";

export interface OutboxEntry {
  id: string;
  kind: string;
  channel: string | null;
  profileId: string | null;
  purpose: string | null;
  status: OutboxStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  payload: JSONValue;
  origin: JSONValue;
  history: { at: DateTime; status: string; attempt: number | null; note: string | null }[];
  createdAt: DateTime;
  sentAt: DateTime | null;
}

export interface ChannelSetting {
  field: string;
  value: JSONValue;
  source: string | null;
  secret: boolean;
  required: boolean;
  description: string;
  env: string;
}

export interface Channel {
  id: string;
  name: string;
  description: string;
  settings: ChannelSetting[];
}

export interface WidgetType {
  id: string;
  name: string;
  description: string;
  docs: string;
  events: string[];
  configSchema: JSONObject;
  exampleConfig: JSONObject;
}

export interface WidgetInstance {
  id: string;
  name: string;
  widget: string;
  config: JSONObject;
  updatedAt: DateTime;
}

export interface PluginProblem {
  plugin: string;
  stage: string;
  message: string;
  hint: string;
  nodeType: string | null;
  disabled: boolean;
  count: number;
  lastAt: DateTime;
}
