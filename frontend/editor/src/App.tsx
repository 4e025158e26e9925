/** The application: the login gate, then the layout and the screen for the current path. */

import { Suspense, useCallback, useEffect, useState } from "react";
import { type Capabilities, loadCapabilities } from "./api/capabilities";
import { GraphQLRequestError, UNAUTHENTICATED_EVENT } from "./api/client";
import { clearToken, getToken, setToken } from "./api/token";
import { CapabilitiesContext } from "./capabilities";
import { Layout } from "./components/Layout";
import { ErrorToast } from "./components/ErrorToast";
import { ErrorBox, Loading } from "./components/Feedback";
import { matchPath, useLocation } from "./router";
import { SCREENS } from "./routes";
import { LoginPage } from "./screens/login/LoginPage";

export function App() {
  const [capabilities, setCapabilities] = useState<Capabilities | null>(null);
  const [checking, setChecking] = useState(() => getToken() !== null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const token = getToken();
    if (!token) return;
    loadCapabilities(token).then(setCapabilities, (error: unknown) => {
      if (error instanceof GraphQLRequestError && error.unauthenticated) clearToken();
      setProblem(error instanceof Error ? error.message : String(error));
    }).finally(() => setChecking(false));
  }, []);

  useEffect(() => {
    const loggedOut = () => {
      setCapabilities(null);
      setProblem("Your admin token was refused (revoked?); paste a valid one.");
    };
    window.addEventListener(UNAUTHENTICATED_EVENT, loggedOut);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, loggedOut);
  }, []);

  const login = useCallback((token: string, found: Capabilities) => {
    setToken(token);
    setProblem(null);
    setCapabilities(found);
  }, []);

  const logout = useCallback(() => {
    clearToken();
    setCapabilities(null);
  }, []);

  if (checking) return <Loading what="Connecting to Cairn" />;
  if (!capabilities) return <LoginPage onLogin={login} problem={problem} />;
  return (
    <CapabilitiesContext.Provider value={capabilities}>
      <Layout onLogout={logout}>
        <CurrentScreen capabilities={capabilities} />
      </Layout>
      <ErrorToast />
    </CapabilitiesContext.Provider>
  );
}

function CurrentScreen({ capabilities }: { capabilities: Capabilities }) {
  const location = useLocation();
  for (const screen of SCREENS) {
    const params = matchPath(screen.path, location);
    if (!params) continue;
    const missing = screen.needs.filter((field) => !capabilities.queries.has(field));
    if (missing.length) {
      return <ErrorBox title={`${screen.title} is not available`}
        error={`This Cairn does not offer the GraphQL field(s) ${missing.join(", ")}; install or enable the plugin `
          + "that provides them."} />;
    }
    const Component = screen.component;
    return (
      <Suspense fallback={<Loading what={screen.title} />}>
        <Component key={location.split("?")[0]} params={params} />
      </Suspense>
    );
  }
  return <ErrorBox title="Page not found" error={`Nothing lives at ${location}.`} />;
}
