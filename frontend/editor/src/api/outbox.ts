/** Channels and their delivery log, the outbox (plugin cairn.graphql.outbox). */

import { gql, graphql } from "./client";
import type { Channel, Connection, JSONValue, OutboxEntry, OutboxStatus } from "./types";

const ENTRY = graphql`id kind channel profileId purpose status attempts maxAttempts lastError payload origin
  history { at status attempt note } createdAt sentAt`;

export interface OutboxFilter {
  status?: OutboxStatus | null;
  channel?: string | null;
  profileId?: string | null;
}

export async function outbox(filter: OutboxFilter, first = 30, after?: string | null):
Promise<Connection<OutboxEntry>> {
  const data = await gql<{ outbox: Connection<OutboxEntry> }>(graphql`
    query($status: OutboxStatus, $channel: String, $profileId: ID, $first: Int, $after: String) {
      outbox(status: $status, channel: $channel, profileId: $profileId, first: $first, after: $after) {
        edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage endCursor } } }`,
  { status: filter.status || null, channel: filter.channel || null, profileId: filter.profileId || null, first,
    after: after ?? null });
  return data.outbox;
}

export async function deliveries(profileId: string, first = 20): Promise<OutboxEntry[]> {
  const data = await gql<{ deliveries: Connection<OutboxEntry> }>(graphql`query($id: ID!, $first: Int) {
    deliveries(profileId: $id, first: $first) { edges { node { ${ENTRY} } } } }`, { id: profileId, first });
  return data.deliveries.edges.map((edge) => edge.node);
}

export async function retryOutboxEntry(id: string): Promise<string> {
  const data = await gql<{ retryOutboxEntry: { __typename: string; message?: string } }>(graphql`
    mutation($id: ID!) { retryOutboxEntry(id: $id) { __typename ... on NotRequeued { message }
      ... on NotFound { message } } }`, { id });
  const result = data.retryOutboxEntry;
  return result.__typename === "OutboxEntryRequeued" ? "Queued again" : result.message ?? result.__typename;
}

export async function channels(): Promise<Channel[]> {
  const data = await gql<{ channels: Channel[] }>(graphql`{ channels { id name description
    settings { field value source secret required description env } } }`);
  return data.channels;
}

export async function setChannelSettings(channel: string, values: Record<string, JSONValue>): Promise<string | null> {
  const data = await gql<{ setChannelSettings: { __typename: string; message?: string } }>(graphql`
    mutation($channel: String!, $values: JSON!) { setChannelSettings(channel: $channel, values: $values) {
      __typename ... on InvalidInput { message } ... on NotFound { message } } }`, { channel, values });
  const result = data.setChannelSettings;
  return result.__typename === "ChannelSettingsSaved" ? null : result.message ?? result.__typename;
}
