/** A form field for free JSON values: plain text is a string, anything else is parsed as JSON. */

import type { FieldProps } from "@rjsf/utils";
import { useEffect, useRef, useState } from "react";
import type { JSONValue } from "../api/types";
import { jsonText, parseJsonText } from "./schemaForm";

export function JsonField(props: FieldProps) {
  const options = (props.uiSchema?.["ui:options"] ?? {}) as { kind?: "any" | "object" };
  const kind = options.kind ?? "any";
  const [text, setText] = useState(() => jsonText(props.formData as JSONValue | undefined, kind));
  const [error, setError] = useState<string | null>(null);
  const sent = useRef<string>(JSON.stringify(props.formData ?? null));

  useEffect(() => {
    const incoming = JSON.stringify(props.formData ?? null);
    if (incoming !== sent.current) {
      sent.current = incoming;
      setText(jsonText(props.formData as JSONValue | undefined, kind));
      setError(null);
    }
  }, [props.formData, kind]);

  const change = (value: string) => {
    setText(value);
    const parsed = parseJsonText(value, kind);
    setError(parsed.error ?? null);
    if (parsed.error) return;
    sent.current = JSON.stringify(parsed.value ?? null);
    props.onChange(parsed.value, props.fieldPathId.path);
  };

  const id = props.fieldPathId.$id;
  const title = (props.schema.title as string | undefined) ?? props.name;
  const errors = [...(error ? [error] : []), ...(props.rawErrors ?? [])];
  const hint = kind === "object" ? "A JSON object." : "Plain text, or JSON (a number, true, a list…).";
  return (
    <div className={`form-group field field-json${errors.length ? " field-error has-error" : ""}`}>
      <label htmlFor={id} className="control-label">{title}{props.required ? "*" : ""}</label>
      {props.schema.description && <p className="field-description">{String(props.schema.description)}</p>}
      {kind === "object" ? (
        <textarea id={id} name={id} rows={5} value={text} onChange={(event) => change(event.target.value)}
          spellCheck={false} className="form-control mono" />
      ) : (
        <input id={id} name={id} value={text} onChange={(event) => change(event.target.value)}
          className="form-control" />
      )}
      <p className="help-block">{hint}</p>
      {errors.length > 0 && (
        <ul className="error-detail">{errors.map((message) => <li key={message} className="text-danger">{message}</li>)}</ul>
      )}
    </div>
  );
}
