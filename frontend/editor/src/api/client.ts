/** A small GraphQL client over fetch: POST /graphql with the admin token as a Bearer header. */

import { clearToken, getToken } from "./token";

export const GRAPHQL_PATH = "/graphql";
export const UNAUTHENTICATED_EVENT = "cairn:unauthenticated";

export interface GraphQLErrorItem {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; hint?: string; [key: string]: unknown };
}

/** The server answered with errors (or not at all); `message` is ready to show. */
export class GraphQLRequestError extends Error {
  readonly errors: GraphQLErrorItem[];
  readonly status: number;

  constructor(message: string, errors: GraphQLErrorItem[] = [], status = 0) {
    super(message);
    this.name = "GraphQLRequestError";
    this.errors = errors;
    this.status = status;
  }

  get unauthenticated(): boolean {
    return this.status === 401 || this.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
  }
}

export type Variables = Record<string, unknown>;

function describe(errors: GraphQLErrorItem[]): string {
  return errors
    .map((e) => (e.extensions?.hint ? `${e.message} (${e.extensions.hint})` : e.message))
    .join("; ");
}

/** Run one operation with an explicit token (used by the login page to check a token). */
export async function requestWithToken<T>(token: string | null, query: string, variables?: Variables): Promise<T> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch (error) {
    throw new GraphQLRequestError(`Cairn cannot be reached (${String(error)}); is the server running?`);
  }
  let body: { data?: T; errors?: GraphQLErrorItem[] } = {};
  try {
    body = await response.json();
  } catch {
    throw new GraphQLRequestError(`Cairn answered HTTP ${response.status} without JSON`, [], response.status);
  }
  if (body.errors?.length || !response.ok || body.data == null) {
    const errors = body.errors ?? [];
    throw new GraphQLRequestError(describe(errors) || `HTTP ${response.status}`, errors, response.status);
  }
  return body.data;
}

/** Run one operation with the stored token; a refused token logs the user out. */
export async function gql<T>(query: string, variables?: Variables): Promise<T> {
  try {
    return await requestWithToken<T>(getToken(), query, variables);
  } catch (error) {
    if (error instanceof GraphQLRequestError && error.unauthenticated) {
      clearToken();
      window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
    }
    throw error;
  }
}

/** Tag for GraphQL documents: plain strings, but editors can highlight them. */
export function graphql(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((text, part, index) => text + part + (values[index] ?? ""), "");
}
