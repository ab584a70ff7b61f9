// The run form of a workflow, generated from its typed inputs. It posts the same
// body a user's script would (`POST /workflows/{id}/executions`); file inputs are
// uploaded first (`POST /files`) and passed as `{"file_id": …}`.
import { html, useState } from "../preact.js";
import { api } from "../api.js";
import { ErrorBox } from "../components.js";
import { navigate } from "../router.js";

const isRequired = (input) => input.required !== false && input.default === undefined;

function initialValue(input) {
  if (input.type === "boolean") return input.default === true;
  if (input.default === undefined || input.type === "file") return "";
  if (input.type === "json") return JSON.stringify(input.default, null, 2);
  return String(input.default);
}

/** The form's raw field value as the input's typed value; `undefined` leaves it out. */
async function typedValue(input, raw) {
  switch (input.type) {
    case "boolean":
      return raw;
    case "file":
      if (!raw) return undefined;
      return { file_id: (await api.uploadFile(raw)).file_id };
    case "number":
    case "integer":
      return raw === "" ? undefined : Number(raw);
    case "json":
      if (raw.trim() === "") return undefined;
      try {
        return JSON.parse(raw);
      } catch {
        throw new FieldError(input.name, "is not valid JSON");
      }
    default:
      return raw === "" && !isRequired(input) ? undefined : raw;
  }
}

class FieldError extends Error {
  constructor(name, message) {
    super(message);
    this.violations = [{ field: `inputs.${name}`, description: message }];
    this.title = "Check the inputs";
  }
}

function InputField({ input, value, onChange, problems }) {
  const id = `input-${input.name}`;
  const describedBy = [input.description && `${id}-help`, problems.length && `${id}-error`]
    .filter(Boolean)
    .join(" ");
  const common = {
    id,
    name: input.name,
    "aria-describedby": describedBy || undefined,
    "aria-invalid": problems.length ? "true" : undefined,
    required: isRequired(input) && input.type !== "boolean",
  };
  let control;
  if (input.type === "boolean") {
    control = html`<input type="checkbox" ...${common} checked=${value} onChange=${(e) => onChange(e.currentTarget.checked)} />`;
  } else if (input.type === "file") {
    control = html`<input type="file" ...${common} onChange=${(e) => onChange(e.currentTarget.files[0] || "")} />`;
  } else if (input.type === "number" || input.type === "integer") {
    control = html`<input type="number" step=${input.type === "integer" ? "1" : "any"} ...${common} value=${value} onInput=${(e) => onChange(e.currentTarget.value)} />`;
  } else {
    control = html`<textarea rows=${input.type === "json" ? 4 : 2} ...${common} class=${input.type === "json" ? "mono" : ""} value=${value} onInput=${(e) => onChange(e.currentTarget.value)}></textarea>`;
  }
  return html`<div class=${`field field-${input.type}`}>
    <label for=${id}>${input.name} <span class="muted">(${input.type}${isRequired(input) ? ", required" : ""})</span></label>
    ${control}
    ${input.description && html`<small id=${`${id}-help`} class="muted">${input.description}</small>`}
    ${problems.length > 0 &&
    html`<span id=${`${id}-error`} class="field-error" role="alert">${problems.join("; ")}</span>`}
  </div>`;
}

export function RunForm({ workflow }) {
  const inputs = workflow.inputs || [];
  const [values, setValues] = useState(() => Object.fromEntries(inputs.map((i) => [i.name, initialValue(i)])));
  const [webhook, setWebhook] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const violations = error?.violations || [];
  const problemsOf = (field) =>
    violations.filter((v) => v.field === field || v.field.startsWith(`${field}.`)).map((v) => v.description);
  const fieldPaths = new Set([...inputs.map((i) => `inputs.${i.name}`), "monitoring.webhook"]);
  const otherViolations = violations.filter(
    (v) => ![...fieldPaths].some((f) => v.field === f || v.field.startsWith(`${f}.`)),
  );

  const onSubmit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { inputs: {} };
      for (const input of inputs) {
        const value = await typedValue(input, values[input.name]);
        if (value !== undefined) body.inputs[input.name] = value;
      }
      if (webhook.trim()) body.monitoring = { webhook: webhook.trim() };
      const started = await api.executeWorkflow(workflow.workflow_id, body);
      navigate(`/ui/executions/${encodeURIComponent(started.workflow_execution_id)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return html`<section aria-labelledby="run-heading" class="run-form">
    <h2 id="run-heading">Run</h2>
    <p class="muted">Runs the latest version, v${workflow.workflow_version}.</p>
    <form onSubmit=${onSubmit} novalidate>
      ${inputs.map(
        (input) => html`<${InputField}
          key=${input.name}
          input=${input}
          value=${values[input.name]}
          problems=${problemsOf(`inputs.${input.name}`)}
          onChange=${(v) => setValues((old) => ({ ...old, [input.name]: v }))}
        />`,
      )}
      <div class="field">
        <label for="webhook-url">Webhook URL <span class="muted">(optional)</span></label>
        <input id="webhook-url" type="url" name="webhook" placeholder="https://example.com/webhook"
          value=${webhook} onInput=${(e) => setWebhook(e.currentTarget.value)}
          aria-invalid=${problemsOf("monitoring.webhook").length ? "true" : undefined} />
        ${problemsOf("monitoring.webhook").length > 0 &&
        html`<span class="field-error" role="alert">${problemsOf("monitoring.webhook").join("; ")}</span>`}
      </div>
      ${error && (otherViolations.length > 0 || violations.length === 0) &&
      html`<${ErrorBox} error=${{ ...error, violations: otherViolations }} title="Not started" />`}
      <button type="submit" class="primary" disabled=${busy}>${busy ? "Starting…" : "Run workflow"}</button>
    </form>
  </section>`;
}
