/** The server's capabilities, shared with every screen. */

import { createContext, useContext } from "react";
import type { Capabilities } from "./api/capabilities";

export const CapabilitiesContext = createContext<Capabilities>({
  queries: new Set(), mutations: new Set(), subscriptions: new Set(),
});

export function useCapabilities(): Capabilities {
  return useContext(CapabilitiesContext);
}
