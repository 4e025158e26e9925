/** Plugin problems, as the admin should see them. */

import { gql, graphql } from "./client";
import type { PluginProblem } from "./types";

export async function pluginProblems(): Promise<PluginProblem[]> {
  const data = await gql<{ pluginProblems: PluginProblem[] }>(graphql`{ pluginProblems {
    plugin stage message hint nodeType disabled count lastAt } }`);
  return data.pluginProblems;
}
