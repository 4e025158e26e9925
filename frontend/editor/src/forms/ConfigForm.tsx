/** A node's configuration form, generated from its JSON Schema, with inline validation errors. */

import Form from "@rjsf/core";
import type { FormProps, IChangeEvent } from "@rjsf/core";
import { type RJSFSchema, deepEquals, getDefaultFormState } from "@rjsf/utils";
import type { ComponentType } from "react";
import validator from "@rjsf/validator-ajv8";
import { useMemo } from "react";
import type { JSONObject } from "../api/types";
import { JsonField } from "./JsonField";
import { prepareForm, validateConfig } from "./schemaForm";

const FIELDS = { json: JsonField };
/** The form, typed for configs (its full generic type is too deep for the compiler). */
const ConfigFormBase = Form as unknown as ComponentType<FormProps<Record<string, unknown>, RJSFSchema>>;

export function ConfigForm(props: { schema: JSONObject; config: JSONObject; onChange: (config: JSONObject) => void;
  idPrefix?: string }) {
  const prepared = useMemo(() => prepareForm(props.schema), [props.schema]);
  const validation = useMemo(() => validateConfig(props.schema, props.config), [props.schema, props.config]);
  const hasFields = Object.keys(prepared.schema.properties ?? {}).length > 0;
  if (!hasFields) return <p className="muted">This node has nothing to configure.</p>;

  // The form reports the config with the schema's defaults filled in as soon as it shows;
  // that is not an edit (it would mark the flow as changed and add an undo step).
  const change = (event: IChangeEvent<Record<string, unknown>, RJSFSchema>) => {
    const next = (event.formData ?? {}) as JSONObject;
    if (deepEquals(next, props.config)) return;
    const withDefaults = getDefaultFormState(validator, prepared.schema, props.config as Record<string, unknown>);
    if (deepEquals(next, withDefaults)) return;
    props.onChange(next);
  };
  const formErrors = validation.messages.filter((message) => !message.includes(":"));
  return (
    <div className="config-form">
      <ConfigFormBase schema={prepared.schema} uiSchema={prepared.uiSchema} formData={props.config} validator={validator}
        fields={FIELDS} extraErrors={validation.errorSchema} showErrorList={false} noHtml5Validate
        idPrefix={props.idPrefix} onChange={change} />
      {formErrors.map((message) => <p key={message} className="error">{message}</p>)}
    </div>
  );
}
