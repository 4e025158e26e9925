/** Which root fields the server offers: screens for optional plugins show only when their API exists. */

import { graphql, requestWithToken } from "./client";

export interface Capabilities {
  queries: Set<string>;
  mutations: Set<string>;
  subscriptions: Set<string>;
}

const QUERY = graphql`{ __schema {
  queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }`;

interface SchemaFields {
  __schema: {
    queryType: { fields: { name: string }[] } | null;
    mutationType: { fields: { name: string }[] } | null;
    subscriptionType: { fields: { name: string }[] } | null;
  };
}

function names(type: { fields: { name: string }[] } | null): Set<string> {
  return new Set((type?.fields ?? []).map((field) => field.name));
}

/** The server's root fields; doubles as the token check (a bad token is refused with 401). */
export async function loadCapabilities(token: string | null): Promise<Capabilities> {
  const data = await requestWithToken<SchemaFields>(token, QUERY);
  return {
    queries: names(data.__schema.queryType),
    mutations: names(data.__schema.mutationType),
    subscriptions: names(data.__schema.subscriptionType),
  };
}

export function hasAll(capabilities: Capabilities, queries: string[], mutations: string[] = []): boolean {
  return queries.every((q) => capabilities.queries.has(q)) && mutations.every((m) => capabilities.mutations.has(m));
}
