/** The editor's screens: path, navigation title, and the GraphQL root fields each one needs.
 *
 * Keep the first path segments in sync with CLIENT_SECTIONS in plugins/editor/__init__.py
 * (the server answers index.html only for those); a test checks it.
 */

import { type ComponentType, lazy } from "react";

export interface Screen {
  path: string;
  title: string;
  /** Shown in the navigation (detail pages are not). */
  nav: boolean;
  /** Root query fields the screen needs; without them it is hidden. */
  needs: string[];
  component: ComponentType<{ params: Record<string, string> }>;
}

const screen = (path: string, title: string, nav: boolean, needs: string[],
  load: () => Promise<{ default: ComponentType<{ params: Record<string, string> }> }>): Screen =>
  ({ path, title, nav, needs, component: lazy(load) });

export const SCREENS: Screen[] = [
  screen("/", "Dashboard", true, ["eventTypes", "events"], () => import("./screens/dashboard/DashboardPage")),
  screen("/flows", "Flows", true, ["flows", "nodeTypes"], () => import("./screens/flows/FlowsPage")),
  screen("/flows/:id", "Flow", false, ["flow", "nodeTypes"], () => import("./screens/flows/editor/FlowEditorPage")),
  screen("/rules", "Rules", true, ["rules", "flows"], () => import("./screens/rules/RulesPage")),
  screen("/profiles", "Profiles", true, ["profiles"], () => import("./screens/profiles/ProfilesPage")),
  screen("/profiles/:id", "Profile", false, ["profile"], () => import("./screens/profiles/ProfilePage")),
  screen("/segments", "Segments", true, ["segments"], () => import("./screens/segments/SegmentsPage")),
  screen("/sources", "Sources", true, ["sources"], () => import("./screens/sources/SourcesPage")),
  screen("/consents", "Consents", true, ["consentTypes"], () => import("./screens/consents/ConsentsPage")),
  screen("/deliveries", "Deliveries", true, ["outbox", "channels"],
    () => import("./screens/deliveries/DeliveriesPage")),
  screen("/widget-settings", "Widgets", true, ["widgets", "widgetInstances"],
    () => import("./screens/widgets/WidgetsPage")),
];
