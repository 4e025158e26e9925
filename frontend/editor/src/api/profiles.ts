/** Profiles, their events and sessions; events and event-type counts. */

import { gql, graphql } from "./client";
import type { CairnEvent, Connection, EventTypeCount, JSONValue, Profile, ProfileSummary, Session } from "./types";

const SUMMARY = graphql`id userIds identifiers { kind values } traits firstSeen lastSeen segments`;
const EVENT = graphql`id type kind sourceId profileId sessionId properties occurredAt receivedAt`;

export interface ProfileSearch {
  identifier?: string;
  userId?: string;
  anonymousId?: string;
  trait?: { name: string; value: JSONValue };
}

export async function searchProfiles(search: ProfileSearch | null, first = 25, after?: string | null):
Promise<Connection<ProfileSummary>> {
  const data = await gql<{ profiles: Connection<ProfileSummary> }>(graphql`
    query($search: ProfileSearchInput, $first: Int, $after: String) {
      profiles(search: $search, first: $first, after: $after) {
        edges { cursor node { ${SUMMARY} } } pageInfo { hasNextPage endCursor } } }`,
  { search, first, after: after ?? null });
  return data.profiles;
}

export async function getProfile(id: string): Promise<Profile | null> {
  const data = await gql<{ profile: Profile | null }>(graphql`query($id: ID!) { profile(id: $id) {
    ${SUMMARY} version anonymousIds stats { events visits eventTypes { type count } } interests tags consents
    mergedFrom { profileId mergedAt reason } } }`, { id });
  return data.profile;
}

export async function profileEvents(id: string, first = 25, after?: string | null, type?: string | null):
Promise<Connection<CairnEvent>> {
  const data = await gql<{ profile: { events: Connection<CairnEvent> } | null }>(graphql`
    query($id: ID!, $first: Int, $after: String, $type: String) { profile(id: $id) {
      events(first: $first, after: $after, type: $type) { edges { cursor node { ${EVENT} } }
        pageInfo { hasNextPage endCursor } } } }`, { id, first, after: after ?? null, type: type || null });
  return data.profile?.events ?? { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
}

export async function profileSessions(id: string, first = 10): Promise<Session[]> {
  const data = await gql<{ profile: { sessions: Connection<Session> } | null }>(graphql`
    query($id: ID!, $first: Int) { profile(id: $id) { sessions(first: $first) { edges { node {
      id startedAt lastActivityAt eventCount device browser os referrer utm } } } } }`, { id, first });
  return data.profile?.sessions.edges.map((edge) => edge.node) ?? [];
}

export interface EventFilter {
  type?: string | null;
  sourceId?: string | null;
  profileId?: string | null;
  from?: string | null;
  to?: string | null;
}

export async function listEvents(filter: EventFilter | null, first = 20): Promise<CairnEvent[]> {
  const data = await gql<{ events: Connection<CairnEvent> }>(graphql`
    query($filter: EventFilterInput, $first: Int) { events(filter: $filter, first: $first) {
      edges { node { ${EVENT} } } } }`, { filter, first });
  return data.events.edges.map((edge) => edge.node);
}

export async function eventTypes(from?: string, to?: string): Promise<EventTypeCount[]> {
  const data = await gql<{ eventTypes: EventTypeCount[] }>(
    graphql`query($from: DateTime, $to: DateTime) { eventTypes(from: $from, to: $to) { type count } }`,
    { from: from ?? null, to: to ?? null });
  return data.eventTypes;
}

/** Event-type counts for consecutive time buckets, in one request (one alias per bucket). */
export async function eventTypesByBucket(bounds: string[]): Promise<EventTypeCount[][]> {
  const buckets = bounds.slice(0, -1);
  if (buckets.length === 0) return [];
  const fields = buckets.map((_, i) => `b${i}: eventTypes(from: $f${i}, to: $f${i + 1}) { type count }`).join(" ");
  const declared = bounds.map((_, i) => `$f${i}: DateTime`).join(", ");
  const variables = Object.fromEntries(bounds.map((bound, i) => [`f${i}`, bound]));
  const data = await gql<Record<string, EventTypeCount[]>>(`query(${declared}) { ${fields} }`, variables);
  return buckets.map((_, i) => data[`b${i}`] ?? []);
}
