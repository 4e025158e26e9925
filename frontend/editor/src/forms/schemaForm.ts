/** From a node type's JSON Schema (pydantic's) to what the form library renders well, and the
 * validation of a config against the original schema.
 *
 * Pydantic writes optional fields as `anyOf: [X, {type: null}]`, free JSON values as `{}`
 * (through `$defs`) and mappings as objects with `additionalProperties`; the form shows the
 * first as X, and the other two as a JSON text field (`ui:field: "json"`).
 */

import type { ErrorSchema, RJSFSchema, RJSFValidationError, UiSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import type { JSONObject, JSONValue } from "../api/types";

type Schema = Record<string, unknown>;

export interface PreparedForm {
  schema: RJSFSchema;
  uiSchema: UiSchema;
}

const SHAPE_KEYS = ["type", "enum", "const", "properties", "anyOf", "oneOf", "allOf", "items"];
const KEPT_FROM_OUTER = ["title", "description", "default", "examples"];

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolve(schema: unknown, defs: Schema, depth = 0): Schema {
  if (!isObject(schema)) return {};
  const ref = schema.$ref;
  if (typeof ref !== "string" || depth > 8) return schema;
  const name = ref.replace(/^#\/(\$defs|definitions)\//, "");
  const { $ref: _ignored, ...rest } = schema;
  return { ...resolve(defs[name], defs, depth + 1), ...rest };
}

function outer(schema: Schema): Schema {
  return Object.fromEntries(KEPT_FROM_OUTER.filter((key) => key in schema).map((key) => [key, schema[key]]));
}

/** A property's schema for the form, and its ui options. */
function prepareProperty(raw: unknown, defs: Schema): { schema: Schema; ui: UiSchema } {
  let schema = resolve(raw, defs);
  const options = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(options)) {
    const choices = options.map((option) => resolve(option, defs)).filter((option) => option.type !== "null");
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    if (choices.length === 1 && choices[0].type !== "object") schema = { ...choices[0], ...rest };
    else return json(rest, choices.every((choice) => choice.type === "object") ? "object" : "any");
  }
  if (!SHAPE_KEYS.some((key) => key in schema)) return json(schema, "any");
  if (schema.type === "object" && !isObject(schema.properties)) return json(schema, "object");
  const ui: UiSchema = {};
  const examples = schema.examples;
  if (Array.isArray(examples) && ["string", "number"].includes(typeof examples[0])) {
    ui["ui:placeholder"] = `e.g. ${String(examples[0])}`;
  }
  if (schema.type === "string" && typeof schema.maxLength !== "number" && /template|message|prompt|body/i
    .test(String(schema.title ?? ""))) {
    ui["ui:widget"] = "textarea";
  }
  return { schema, ui };
}

function json(schema: Schema, kind: "any" | "object"): { schema: Schema; ui: UiSchema } {
  return { schema: outer(schema), ui: { "ui:field": "json", "ui:options": { kind } } };
}

/** The schema and ui schema the form renders for a node type's config schema. */
export function prepareForm(raw: JSONObject): PreparedForm {
  const root = raw as Schema;
  const defs = { ...(isObject(root.definitions) ? root.definitions : {}), ...(isObject(root.$defs) ? root.$defs : {}) };
  const properties = isObject(root.properties) ? root.properties : {};
  const uiSchema: UiSchema = { "ui:submitButtonOptions": { norender: true } };
  const prepared: Record<string, Schema> = {};
  for (const [name, property] of Object.entries(properties)) {
    const { schema, ui } = prepareProperty(property, defs);
    prepared[name] = schema;
    if (Object.keys(ui).length) uiSchema[name] = ui;
  }
  // The root's title is the config class name and its description repeats the node's: the panel shows those.
  const { title: _title, description: _description, $defs: _defs, definitions: _definitions, ...rest } = root;
  return { schema: { ...rest, type: "object", properties: prepared } as RJSFSchema, uiSchema };
}

export interface ConfigValidation {
  /** One line per problem, e.g. "name: is required". */
  messages: string[];
  errorSchema: ErrorSchema;
}

function friendly(errors: RJSFValidationError[]): RJSFValidationError[] {
  return errors.map((error) => {
    if (error.name === "required") return { ...error, message: "is required" };
    if (error.name === "minLength" && (error.params as { limit?: number })?.limit === 1) {
      return { ...error, message: "must not be empty" };
    }
    if (error.name === "minItems") return { ...error, message: "needs at least one item" };
    return error;
  });
}

/** Validate `config` against the node type's (original) schema. */
export function validateConfig(schema: JSONObject, config: JSONObject): ConfigValidation {
  const { errors, errorSchema } = validator.validateFormData(config as never, schema as RJSFSchema, undefined,
    friendly);
  const messages = errors.map((error) => {
    const path = (error.property ?? "").replace(/^\./, "");
    return path ? `${path}: ${error.message}` : String(error.message ?? error.stack);
  });
  return { messages, errorSchema: errorSchema as ErrorSchema };
}

/** The text a JSON field shows for a value ("any": plain text stays plain). */
export function jsonText(value: JSONValue | undefined, kind: "any" | "object"): string {
  if (value === undefined || value === null) return "";
  if (kind === "any" && typeof value === "string") {
    try {
      JSON.parse(value);
      return JSON.stringify(value);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, kind === "object" ? 2 : 0);
}

/** The value a JSON field's text stands for, or an error to show. */
export function parseJsonText(text: string, kind: "any" | "object"): { value?: JSONValue; error?: string } {
  if (text.trim() === "") return { value: undefined };
  try {
    const value = JSON.parse(text) as JSONValue;
    if (kind === "object" && (typeof value !== "object" || value === null || Array.isArray(value))) {
      return { error: "must be a JSON object, e.g. {\"key\": \"value\"}" };
    }
    return { value };
  } catch {
    if (kind === "any") return { value: text };
    return { error: "is not valid JSON" };
  }
}
