/** Event sources: where events come from, and their write keys. */

import { gql, graphql } from "./client";
import type { InvalidInput, NotFound, Source } from "./types";

const SOURCE = graphql`id name writeKey allowedOrigins enabled createdAt`;
const EXPECTED = graphql`... on InvalidInput { message errors { field message } } ... on NotFound { message id }`;

export type CreateSourceResult = { __typename: "SourceCreated"; source: Source } | InvalidInput;
export type UpdateSourceResult = { __typename: "SourceUpdated"; source: Source } | InvalidInput | NotFound;

export async function listSources(): Promise<Source[]> {
  const data = await gql<{ sources: Source[] }>(graphql`{ sources { ${SOURCE} } }`);
  return data.sources;
}

export async function createSource(name: string, allowedOrigins: string[]): Promise<CreateSourceResult> {
  const data = await gql<{ createSource: CreateSourceResult }>(graphql`
    mutation($name: String!, $origins: [String!]) { createSource(name: $name, allowedOrigins: $origins) {
      __typename ... on SourceCreated { source { ${SOURCE} } } ${EXPECTED} } }`, { name, origins: allowedOrigins });
  return data.createSource;
}

export async function updateSource(id: string, changes: { name?: string; allowedOrigins?: string[];
  enabled?: boolean }): Promise<UpdateSourceResult> {
  const data = await gql<{ updateSource: UpdateSourceResult }>(graphql`
    mutation($id: ID!, $name: String, $origins: [String!], $enabled: Boolean) {
      updateSource(id: $id, name: $name, allowedOrigins: $origins, enabled: $enabled) {
        __typename ... on SourceUpdated { source { ${SOURCE} } } ${EXPECTED} } }`,
  { id, name: changes.name, origins: changes.allowedOrigins, enabled: changes.enabled });
  return data.updateSource;
}

/** The two-line snippet a website adds to load the tracker. */
export function trackerSnippet(cairnUrl: string, writeKey: string): string {
  const init = JSON.stringify({ writeKey, url: cairnUrl });
  return `<script>window.cairn=window.cairn||function(){(cairn.q=cairn.q||[]).push(arguments)};`
    + `cairn("init",${init});</script>\n<script async src="${cairnUrl}/tracker.js"></script>`;
}
