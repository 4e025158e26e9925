/** Export and erasure of a customer's data (plugin cairn.graphql.privacy). */

import { gql, graphql } from "./client";
import type { JSONValue } from "./types";

export async function exportProfile(profileId: string): Promise<JSONValue> {
  const data = await gql<{ exportProfile: JSONValue }>(
    graphql`query($id: ID!) { exportProfile(profileId: $id) }`, { id: profileId });
  return data.exportProfile;
}

export type EraseResult = { __typename: "ProfileErased"; erasureId: string; counts: Record<string, number> }
  | { __typename: "NotFound"; message: string };

export async function eraseProfile(profileId: string): Promise<EraseResult> {
  const data = await gql<{ eraseProfile: EraseResult }>(graphql`mutation($id: ID!) { eraseProfile(profileId: $id) {
    __typename ... on ProfileErased { erasureId counts } ... on NotFound { message } } }`, { id: profileId });
  return data.eraseProfile;
}
