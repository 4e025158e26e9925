/** Rules: which events (type, source, condition) run which flow. */

import { gql, graphql } from "./client";
import { RULE_FIELDS } from "./flows";
import type { InvalidInput, NotFound, Rule } from "./types";

export interface RuleInput {
  name: string;
  eventType: string;
  flowId: string;
  sourceId: string | null;
  condition: string | null;
  enabled: boolean;
}

export type RuleResult = { __typename: "RuleSaved"; rule: Rule } | InvalidInput | NotFound;

const RESULT = graphql`__typename ... on RuleSaved { rule { ${RULE_FIELDS} } }
  ... on InvalidInput { message errors { field message } } ... on NotFound { message id }`;

export async function listRules(flowId?: string): Promise<Rule[]> {
  const data = await gql<{ rules: Rule[] }>(
    graphql`query($flowId: String) { rules(flowId: $flowId) { ${RULE_FIELDS} } }`, { flowId: flowId ?? null });
  return data.rules;
}

export async function createRule(input: RuleInput): Promise<RuleResult> {
  const data = await gql<{ createRule: RuleResult }>(graphql`
    mutation($name: String!, $eventType: String!, $flowId: String!, $sourceId: String, $condition: String,
             $enabled: Boolean!) {
      createRule(name: $name, eventType: $eventType, flowId: $flowId, sourceId: $sourceId, condition: $condition,
                 enabled: $enabled) { ${RESULT} } }`, { ...input });
  return data.createRule;
}

export async function updateRule(id: string, changes: Partial<RuleInput>): Promise<RuleResult> {
  const data = await gql<{ updateRule: RuleResult }>(graphql`
    mutation($id: ID!, $name: String, $eventType: String, $flowId: String, $sourceId: String, $condition: String,
             $enabled: Boolean) {
      updateRule(id: $id, name: $name, eventType: $eventType, flowId: $flowId, sourceId: $sourceId,
                 condition: $condition, enabled: $enabled) { ${RESULT} } }`, { id, ...changes });
  return data.updateRule;
}

export async function deleteRule(id: string): Promise<void> {
  await gql(graphql`mutation($id: ID!) { deleteRule(id: $id) { __typename } }`, { id });
}
