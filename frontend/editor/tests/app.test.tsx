import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GraphQLRequestError, UNAUTHENTICATED_EVENT, gql } from "../src/api/client";
import { getToken, setToken } from "../src/api/token";
import { Markdown } from "../src/components/Markdown";
import { describeRefusal } from "../src/api/segments";
import { matchPath, navigate, setLeaveGuard } from "../src/router";
import { LoginPage } from "../src/screens/login/LoginPage";
import { buildSearch } from "../src/screens/profiles/ProfilesPage";

function answer(status: number, body: unknown) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": "application/json" } }));
}

const SCHEMA = { data: { __schema: { queryType: { fields: [{ name: "flows" }] }, mutationType: null,
  subscriptionType: null } } };

beforeEach(() => window.localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe("the GraphQL client", () => {
  it("sends the stored token as a Bearer header", async () => {
    const fetch = answer(200, { data: { flows: [] } });
    vi.stubGlobal("fetch", fetch);
    setToken("cairn_abc");
    await expect(gql("{ flows { id } }")).resolves.toEqual({ flows: [] });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/graphql");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer cairn_abc");
  });

  it("forgets a refused token and tells the app", async () => {
    vi.stubGlobal("fetch", answer(401, { data: null, errors: [{ message: "the admin token is not valid",
      extensions: { code: "UNAUTHENTICATED", hint: "create a token" } }] }));
    setToken("cairn_old");
    const loggedOut = vi.fn();
    window.addEventListener(UNAUTHENTICATED_EVENT, loggedOut);
    const error = await gql("{ flows { id } }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect((error as Error).message).toBe("the admin token is not valid (create a token)");
    expect(getToken()).toBeNull();
    expect(loggedOut).toHaveBeenCalled();
  });
});

describe("<LoginPage>", () => {
  it("refuses a token the server refuses, with its message", async () => {
    vi.stubGlobal("fetch", answer(401, { data: null, errors: [{ message: "the admin token is not valid" }] }));
    const onLogin = vi.fn();
    render(<LoginPage onLogin={onLogin} problem={null} />);
    await userEvent.type(screen.getByLabelText("Admin token"), "nope");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveProperty("textContent", "the admin token is not valid");
    expect(onLogin).not.toHaveBeenCalled();
  });

  it("logs in with a valid token (a pasted 'Bearer ' prefix is dropped)", async () => {
    vi.stubGlobal("fetch", answer(200, SCHEMA));
    const onLogin = vi.fn();
    render(<LoginPage onLogin={onLogin} problem={null} />);
    await userEvent.type(screen.getByLabelText("Admin token"), "Bearer cairn_good");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    await waitFor(() => expect(onLogin).toHaveBeenCalled());
    const [token, capabilities] = onLogin.mock.calls[0];
    expect(token).toBe("cairn_good");
    expect(capabilities.queries.has("flows")).toBe(true);
  });
});

describe("small helpers", () => {
  it("matches routes with parameters", () => {
    expect(matchPath("/flows/:id", "/flows/abc%20d?x=1")).toEqual({ id: "abc d" });
    expect(matchPath("/flows", "/flows/")).toEqual({});
    expect(matchPath("/flows/:id", "/flows")).toBeNull();
    expect(matchPath("/", "/")).toEqual({});
  });

  it("builds profile searches", () => {
    expect(buildSearch("identifier", " a@b.c ", "")).toEqual({ identifier: "a@b.c" });
    expect(buildSearch("trait", "3", "age")).toEqual({ trait: { name: "age", value: 3 } });
    expect(buildSearch("trait", "gold", "plan")).toEqual({ trait: { name: "plan", value: "gold" } });
    expect(buildSearch("userId", "", "")).toBeNull();
  });

  it("renders plugin docs as elements, never as HTML", () => {
    const { container } = render(<Markdown text={"Uses `code` and **bold**.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
      + "<img src=x onerror=alert(1)>"} />);
    expect(container.querySelector("code")?.textContent).toBe("code");
    expect(container.querySelector("strong")?.textContent).toBe("bold");
    expect(container.querySelectorAll("td")).toHaveLength(2);
    expect(container.querySelector("img")).toBeNull();
  });
});

describe("navigation and refusals", () => {
  it("asks the leave guard before navigating, and stays when it says no", () => {
    window.history.replaceState(null, "", "/flows/f1");
    setLeaveGuard(() => false);
    navigate("/profiles");
    expect(window.location.pathname).toBe("/flows/f1");
    setLeaveGuard(null);
    navigate("/profiles");
    expect(window.location.pathname).toBe("/profiles");
  });

  it("says where a segment condition is wrong", () => {
    expect(describeRefusal({ __typename: "InvalidCondition", message: "unexpected end", line: 1, column: 22,
      expected: "a value", hint: "finish the comparison" })).toEqual([
      "Line 1, column 22: unexpected end (expected a value)", "finish the comparison"]);
  });
});
