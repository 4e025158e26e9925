import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { JSONObject } from "../src/api/types";
import { ConfigForm } from "../src/forms/ConfigForm";
import { jsonText, parseJsonText, prepareForm, validateConfig } from "../src/forms/schemaForm";
import { nodeType } from "./helpers";

const setTrait = nodeType("cairn.set_trait").configSchema;
const http = nodeType("cairn.http_request").configSchema;

describe("preparing a node's schema for the form", () => {
  it("shows nullable fields as their type, free JSON values and mappings as JSON fields", () => {
    const { schema, uiSchema } = prepareForm(setTrait);
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(properties.template.type).toBe("string");
    expect(properties.template.anyOf).toBeUndefined();
    expect(uiSchema.value).toEqual({ "ui:field": "json", "ui:options": { kind: "any" } });
    expect(schema.title).toBeUndefined();
    const httpForm = prepareForm(http);
    expect(httpForm.uiSchema.headers).toEqual({ "ui:field": "json", "ui:options": { kind: "object" } });
    expect(httpForm.uiSchema.body).toEqual({ "ui:field": "json", "ui:options": { kind: "any" } });
    expect(httpForm.uiSchema.url["ui:placeholder"]).toBe("e.g. https://hooks.example.com/cairn");
  });

  it("keeps enums as selects and required fields required", () => {
    const { schema } = prepareForm(setTrait);
    expect((schema.properties as Record<string, { enum?: string[] }>).mode.enum).toEqual(["value", "template",
      "event_path"]);
    expect(schema.required).toEqual(["name"]);
  });
});

describe("validating a config", () => {
  it("lists missing and wrong fields by name", () => {
    expect(validateConfig(setTrait, {}).messages).toEqual(["name: is required"]);
    expect(validateConfig(setTrait, { name: "vip" }).messages).toEqual([]);
    const delay = nodeType("cairn.delay").configSchema;
    expect(validateConfig(delay, { amount: -1 }).messages[0]).toMatch(/^amount: must be > 0/);
    expect(validateConfig(delay, { amount: 1, unit: "weeks" }).messages[0]).toMatch(/^unit: /);
  });
});

describe("JSON fields", () => {
  it("read plain text as a string and anything JSON as JSON", () => {
    expect(parseJsonText("gold", "any")).toEqual({ value: "gold" });
    expect(parseJsonText("3", "any")).toEqual({ value: 3 });
    expect(parseJsonText('"3"', "any")).toEqual({ value: "3" });
    expect(parseJsonText("  ", "any")).toEqual({ value: undefined });
    expect(parseJsonText("[1", "object").error).toMatch(/not valid JSON/);
    expect(parseJsonText("[1]", "object").error).toMatch(/JSON object/);
    expect(parseJsonText('{"a": 1}', "object")).toEqual({ value: { a: 1 } });
  });

  it("show strings that look like JSON quoted, so they read back the same", () => {
    for (const value of ["gold", "3", "true", 3, true, ["a"], { a: 1 }]) {
      expect(parseJsonText(jsonText(value, "any"), "any").value).toEqual(value);
    }
  });
});

function Harness({ schema, initial }: { schema: JSONObject; initial: JSONObject }) {
  const [config, setConfig] = useState(initial);
  return (
    <>
      <ConfigForm schema={schema} config={config} onChange={setConfig} idPrefix="cfg" />
      <output data-testid="config">{JSON.stringify(config)}</output>
    </>
  );
}

describe("<ConfigForm>", () => {
  it("shows inline errors for a missing required field until it is filled in", async () => {
    const { container } = render(<Harness schema={setTrait} initial={{ mode: "value" }} />);
    expect(screen.getByText("is required")).toBeTruthy();
    const name = container.querySelector<HTMLInputElement>("#cfg_name");
    expect(name).toBeTruthy();
    await userEvent.type(name!, "vip");
    expect(screen.queryByText("is required")).toBeNull();
    expect(JSON.parse(screen.getByTestId("config").textContent!)).toMatchObject({ name: "vip", mode: "value" });
  });

  it("edits a free JSON value through its text field", async () => {
    const { container } = render(<Harness schema={setTrait} initial={{ name: "vip" }} />);
    const value = container.querySelector<HTMLInputElement>("#cfg_value")!;
    await userEvent.type(value, "42");
    expect(JSON.parse(screen.getByTestId("config").textContent!).value).toBe(42);
  });

  it("says when a mapping is not a JSON object", async () => {
    const { container } = render(<Harness schema={http} initial={{ url: "https://x.test" }} />);
    const headers = container.querySelector<HTMLTextAreaElement>("#cfg_headers")!;
    await userEvent.type(headers, "[[1]");
    expect(screen.getByText(/must be a JSON object/)).toBeTruthy();
  });

  it("says so when there is nothing to configure", () => {
    render(<Harness schema={nodeType("cairn.start").configSchema} initial={{}} />);
    expect(screen.getByText(/nothing to configure/)).toBeTruthy();
  });
});

describe("<ConfigForm> and defaults", () => {
  it("does not report the schema's defaults as an edit when it shows", async () => {
    const changes: JSONObject[] = [];
    render(<ConfigForm schema={setTrait} config={{ name: "vip" }} onChange={(c) => changes.push(c)} idPrefix="d" />);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(changes).toEqual([]);
  });
});
