/** Segments: named conditions over the profile, with live preview, jobs and size history
 * (plugins cairn.core.segments.plugin + cairn.graphql.segments.plugin). */

import { gql, graphql } from "./client";
import type { Connection, DateTime, InvalidInput, NotFound, ProfileSummary } from "./types";

export interface SegmentJob {
  id: string;
  status: "RUNNING" | "DONE" | "FAILED" | "CANCELLED";
  progress: number;
  entered: number;
  left: number;
  error: string | null;
}

export interface Segment {
  id: string;
  name: string;
  description: string;
  condition: string;
  enabled: boolean;
  size: number;
  lastComputedAt: DateTime | null;
  lastError: { message: string; at: DateTime } | null;
  latestJob: SegmentJob | null;
}

export interface SizeSample {
  at: DateTime;
  size: number;
}

/** A condition that does not compile: where, and what was expected. */
export interface InvalidCondition {
  __typename: "InvalidCondition";
  message: string;
  line: number;
  column: number;
  expected: string | null;
  hint: string | null;
}

export interface SegmentChange {
  id: string;
  segmentName: string;
  change: "ENTERED" | "LEFT";
  at: DateTime;
  reason: string;
}

const JOB = graphql`id status progress entered left error`;
const SEGMENT = graphql`id name description condition enabled size lastComputedAt lastError { message at }
  latestJob { ${JOB} }`;
const CONDITION = graphql`... on InvalidCondition { message line column expected hint }`;
const EXPECTED = graphql`${CONDITION} ... on InvalidInput { message errors { field message } }
  ... on NotFound { message id }`;

export async function listSegments(): Promise<Segment[]> {
  const data = await gql<{ segments: Segment[] }>(graphql`{ segments { ${SEGMENT} } }`);
  return data.segments;
}

export async function segmentSizes(id: string, since: string): Promise<SizeSample[]> {
  const data = await gql<{ segment: { sizeHistory: SizeSample[] } | null }>(graphql`
    query($id: ID!, $since: DateTime) { segment(id: $id) { sizeHistory(since: $since) { at size } } }`,
  { id, since });
  return data.segment?.sizeHistory ?? [];
}

export type PreviewResult =
  | { __typename: "SegmentPreview"; count: number; exact: boolean; profiles: Connection<ProfileSummary> }
  | InvalidCondition;

export async function previewSegment(condition: string): Promise<PreviewResult> {
  const data = await gql<{ segmentPreview: PreviewResult }>(graphql`
    query($condition: String!) { segmentPreview(condition: $condition, first: 5) { __typename
      ... on SegmentPreview { count exact profiles { edges { node {
        id userIds traits identifiers { kind values } firstSeen lastSeen segments } } pageInfo { hasNextPage endCursor } } }
      ${CONDITION} } }`, { condition });
  return data.segmentPreview;
}

export type SegmentResult = { __typename: "SegmentSaved"; segment: Segment } | InvalidCondition | InvalidInput
  | NotFound;

export interface SegmentInput {
  name: string;
  description: string;
  condition: string;
  enabled: boolean;
}

export async function saveSegment(id: string | null, input: SegmentInput): Promise<SegmentResult> {
  if (id) {
    const data = await gql<{ updateSegment: SegmentResult }>(graphql`
      mutation($id: ID!, $name: String, $description: String, $condition: String, $enabled: Boolean) {
        updateSegment(id: $id, name: $name, description: $description, condition: $condition, enabled: $enabled) {
          __typename ... on SegmentSaved { segment { ${SEGMENT} } } ${EXPECTED} } }`, { id, ...input });
    return data.updateSegment;
  }
  const data = await gql<{ createSegment: SegmentResult }>(graphql`
    mutation($name: String!, $description: String!, $condition: String!, $enabled: Boolean!) {
      createSegment(name: $name, description: $description, condition: $condition, enabled: $enabled) {
        __typename ... on SegmentSaved { segment { ${SEGMENT} } }
        ${CONDITION} ... on InvalidInput { message errors { field message } } } }`, { ...input });
  return data.createSegment;
}

export async function deleteSegment(id: string): Promise<void> {
  await gql(graphql`mutation($id: ID!) { deleteSegment(id: $id) { __typename } }`, { id });
}

export async function recomputeSegment(id: string): Promise<string | null> {
  const data = await gql<{ recomputeSegment: { __typename: string; message?: string } }>(graphql`
    mutation($id: ID!) { recomputeSegment(id: $id) { __typename ... on InvalidCondition { message }
      ... on NotFound { message } } }`, { id });
  const result = data.recomputeSegment;
  return result.__typename === "SegmentRecomputing" ? null : result.message ?? result.__typename;
}

export async function profileSegmentHistory(profileId: string, first = 20): Promise<SegmentChange[]> {
  const data = await gql<{ profileSegmentHistory: Connection<SegmentChange> }>(graphql`
    query($id: ID!, $first: Int) { profileSegmentHistory(profileId: $id, first: $first) {
      edges { node { id segmentName change at reason } } } }`, { id: profileId, first });
  return data.profileSegmentHistory.edges.map((edge) => edge.node);
}

/** What to show for a refused segment or condition. */
export function describeRefusal(result: InvalidCondition | InvalidInput | NotFound): string[] {
  if (result.__typename === "InvalidCondition") {
    return [`Line ${result.line}, column ${result.column}: ${result.message}`
      + (result.expected ? ` (expected ${result.expected})` : ""), ...(result.hint ? [result.hint] : [])];
  }
  if (result.__typename === "InvalidInput") {
    return [result.message, ...result.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message))];
  }
  return [result.message];
}
