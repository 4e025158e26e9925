/** Widgets (pop-ups on the website) and their saved settings (plugin cairn.graphql.widgets). */

import { gql, graphql } from "./client";
import type { InvalidInput, JSONObject, NotFound, WidgetInstance, WidgetType } from "./types";

const INSTANCE = graphql`id name widget config updatedAt`;
const EXPECTED = graphql`... on InvalidInput { message errors { field message } } ... on NotFound { message id }`;

export async function widgetTypes(): Promise<WidgetType[]> {
  const data = await gql<{ widgets: WidgetType[] }>(graphql`{ widgets { id name description docs events
    configSchema exampleConfig } }`);
  return data.widgets;
}

export async function widgetInstances(): Promise<WidgetInstance[]> {
  const data = await gql<{ widgetInstances: WidgetInstance[] }>(graphql`{ widgetInstances { ${INSTANCE} } }`);
  return data.widgetInstances;
}

export type WidgetInstanceResult = { __typename: "WidgetInstanceSaved"; instance: WidgetInstance }
  | InvalidInput | NotFound;

export async function saveWidgetInstance(id: string | null, name: string, widget: string, config: JSONObject):
Promise<WidgetInstanceResult> {
  const selection = graphql`__typename ... on WidgetInstanceSaved { instance { ${INSTANCE} } } ${EXPECTED}`;
  if (id) {
    const data = await gql<{ updateWidgetInstance: WidgetInstanceResult }>(graphql`
      mutation($id: ID!, $name: String, $config: JSON) { updateWidgetInstance(id: $id, name: $name, config: $config) {
        ${selection} } }`, { id, name, config });
    return data.updateWidgetInstance;
  }
  const data = await gql<{ createWidgetInstance: WidgetInstanceResult }>(graphql`
    mutation($name: String!, $widget: String!, $config: JSON) {
      createWidgetInstance(name: $name, widget: $widget, config: $config) { ${selection} } }`,
  { name, widget, config });
  return data.createWidgetInstance;
}

export async function deleteWidgetInstance(id: string): Promise<void> {
  await gql(graphql`mutation($id: ID!) { deleteWidgetInstance(id: $id) { __typename } }`, { id });
}

export type WidgetPreviewResult = { __typename: "WidgetPreview"; html: string; config: JSONObject }
  | InvalidInput | NotFound;

export async function widgetPreview(widget: string, config: JSONObject): Promise<WidgetPreviewResult> {
  const data = await gql<{ widgetPreview: WidgetPreviewResult }>(graphql`
    query($widget: String!, $config: JSON) { widgetPreview(widget: $widget, config: $config) { __typename
      ... on WidgetPreview { html config } ${EXPECTED} } }`, { widget, config });
  return data.widgetPreview;
}
