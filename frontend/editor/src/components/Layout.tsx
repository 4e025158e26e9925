/** The page frame: navigation on the left (screens this server supports), content on the right. */

import type { ReactNode } from "react";
import { useCapabilities } from "../capabilities";
import { Link, matchPath, useLocation } from "../router";
import { SCREENS } from "../routes";

export function Layout(props: { children: ReactNode; onLogout: () => void }) {
  const capabilities = useCapabilities();
  const location = useLocation();
  const section = "/" + (location.split("?")[0].split("/")[1] ?? "");
  const screens = SCREENS.filter((s) => s.nav && s.needs.every((field) => capabilities.queries.has(field)));
  return (
    <div className="layout">
      <nav className="sidebar" aria-label="Main">
        <Link to="/" className="brand"><span className="logo" aria-hidden>◭</span> Cairn</Link>
        <ul>
          {screens.map((screen) => (
            <li key={screen.path}>
              <Link to={screen.path} className={matchPath(screen.path, section) ? "active" : ""}>{screen.title}</Link>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <a href="/graphql" target="_blank" rel="noreferrer">GraphiQL ↗</a>
          <button type="button" className="link" onClick={props.onLogout}>Log out</button>
        </div>
      </nav>
      <main className="content">{props.children}</main>
    </div>
  );
}
