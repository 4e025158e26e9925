/** Consent types and the consents of a profile (plugin cairn.graphql.consents). */

import { gql, graphql } from "./client";
import type { ConsentHistoryEntry, ConsentType, InvalidInput, NotFound, ProfileConsent } from "./types";

const TYPE = graphql`id name description required revocable expiresAfterDays channels purposes`;
const CONSENT = graphql`typeId granted state updatedAt expiresAt source`;

export async function consentTypes(): Promise<ConsentType[]> {
  const data = await gql<{ consentTypes: ConsentType[] }>(graphql`{ consentTypes { ${TYPE} } }`);
  return data.consentTypes;
}

export async function consentPurposes(): Promise<{ id: string; requiresConsent: boolean }[]> {
  const data = await gql<{ consentPurposes: { id: string; requiresConsent: boolean }[] }>(
    graphql`{ consentPurposes { id requiresConsent } }`);
  return data.consentPurposes;
}

export type SaveConsentTypeResult = { __typename: "ConsentTypeSaved"; consentType: ConsentType } | InvalidInput;

export async function saveConsentType(input: ConsentType): Promise<SaveConsentTypeResult> {
  const data = await gql<{ saveConsentType: SaveConsentTypeResult }>(graphql`
    mutation($input: ConsentTypeInput!) { saveConsentType(input: $input) { __typename
      ... on ConsentTypeSaved { consentType { ${TYPE} } } ... on InvalidInput { message errors { field message } } } }`,
  { input });
  return data.saveConsentType;
}

export async function deleteConsentType(id: string): Promise<void> {
  await gql(graphql`mutation($id: ID!) { deleteConsentType(id: $id) { __typename } }`, { id });
}

export async function profileConsents(profileId: string): Promise<{ current: ProfileConsent[];
  history: ConsentHistoryEntry[] }> {
  const data = await gql<{ profileConsents: ProfileConsent[]; consentHistory: ConsentHistoryEntry[] }>(graphql`
    query($id: ID!) { profileConsents(profileId: $id) { ${CONSENT} }
      consentHistory(profileId: $id, limit: 50) { id typeId granted previous outcome reason source at } }`,
  { id: profileId });
  return { current: data.profileConsents, history: data.consentHistory };
}

export type ChangeConsentResult =
  | { __typename: "ConsentChanged"; consent: ProfileConsent }
  | { __typename: "ConsentRefused"; message: string; hint: string }
  | InvalidInput | NotFound;

export async function setConsent(profileId: string, typeId: string, granted: boolean): Promise<ChangeConsentResult> {
  const field = granted ? "grantConsent" : "revokeConsent";
  const data = await gql<Record<string, ChangeConsentResult>>(graphql`
    mutation($profileId: ID!, $typeId: String!) { result: ${field}(profileId: $profileId, typeId: $typeId,
      collectedVia: "editor") { __typename ... on ConsentChanged { consent { ${CONSENT} } }
      ... on ConsentRefused { message hint } ... on InvalidInput { message errors { field message } }
      ... on NotFound { message id } } }`, { profileId, typeId });
  return data.result;
}
