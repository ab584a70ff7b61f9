// /ui/workflows/{id} — the definition (any version), the run form, the executions.
import { html, useEffect, useState } from "../preact.js";
import { api } from "../api.js";
import {
  ErrorBox,
  executionHref,
  JsonBlock,
  Link,
  Loading,
  Pager,
  StatusBadge,
  Time,
} from "../components.js";
import { ACTIVE_STATUSES, EXECUTION_STATUSES, elapsed, formatDuration } from "../format.js";
import { useApi } from "../hooks.js";
import { setQuery } from "../router.js";
import { RunForm } from "./run-form.js";

const PAGE_SIZE = 20;
const LIST_REFRESH_MS = 3000;

function Definition({ workflow }) {
  return html`<section aria-labelledby="definition-heading">
    <h2 id="definition-heading">Definition</h2>
    <h3>Inputs</h3>
    ${(workflow.inputs || []).length === 0
      ? html`<p class="muted">No inputs.</p>`
      : html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Default</th><th scope="col">Description</th></tr></thead>
          <tbody>
            ${workflow.inputs.map(
              (input) => html`<tr>
                <td><code>${input.name}</code></td>
                <td>${input.type}</td>
                <td>${input.required === false || input.default !== undefined ? "no" : "yes"}</td>
                <td>${input.default === undefined ? "—" : html`<code>${JSON.stringify(input.default)}</code>`}</td>
                <td>${input.description}</td>
              </tr>`,
            )}
          </tbody>
        </table></div>`}
    <h3>Tasks</h3>
    <ol class="task-defs">
      ${(workflow.tasks || []).map(
        (task) => html`<li>
          <details>
            <summary><code>${task.name}</code> <span class="tag">${task.type}</span>
              ${task.description && html` <span class="muted">${task.description}</span>`}</summary>
            <${JsonBlock} value=${task.inputs || {}} />
            ${task.retry && html`<p>Retry: <code>${JSON.stringify(task.retry)}</code></p>`}
            ${task.timeout_seconds !== undefined && html`<p>Timeout: ${task.timeout_seconds} s</p>`}
          </details>
        </li>`,
      )}
    </ol>
    <h3>Outputs</h3>
    ${(workflow.outputs || []).length === 0
      ? html`<p class="muted">No outputs.</p>`
      : html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Value</th></tr></thead>
          <tbody>
            ${workflow.outputs.map(
              (output) => html`<tr>
                <td><code>${output.name}</code></td>
                <td>${output.type}</td>
                <td><code>${JSON.stringify(output.value)}</code></td>
              </tr>`,
            )}
          </tbody>
        </table></div>`}
  </section>`;
}

function Executions({ workflowId, status }) {
  const [tokens, setTokens] = useState([""]); // page tokens walked so far (Previous)
  useEffect(() => setTokens([""]), [workflowId, status]);
  const token = tokens[tokens.length - 1];
  const page = useApi(
    (signal) =>
      api.listExecutions(workflowId, { status, pageSize: PAGE_SIZE, pageToken: token, view: "EXECUTION_VIEW_BASIC" }, signal),
    [workflowId, status, token],
  );
  const executions = page.data?.executions || [];
  // While some listed execution is still going, look again now and then.
  const anyActive = executions.some((e) => ACTIVE_STATUSES.has(e.status));
  useEffect(() => {
    if (!anyActive) return undefined;
    const timer = setTimeout(page.reload, LIST_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [page.data, anyActive]);
  return html`<section aria-labelledby="executions-heading">
    <div class="page-head">
      <h2 id="executions-heading">Executions</h2>
      <div class="inline-field">
        <label for="status-filter">Status</label>
        <select id="status-filter" value=${status} onChange=${(e) => setQuery({ status: e.currentTarget.value })}>
          <option value="">All</option>
          ${EXECUTION_STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}
        </select>
      </div>
    </div>
    <${ErrorBox} error=${page.error} />
    ${page.loading && !page.data && html`<${Loading} what="Loading executions" />`}
    ${page.data && executions.length === 0 &&
    html`<p class="empty">${status ? `No ${status} executions.` : "No executions yet."}</p>`}
    ${executions.length > 0 &&
    html`<div class="table-wrap">
      <table class="executions">
        <thead><tr><th scope="col">Execution</th><th scope="col">Status</th><th scope="col">Version</th><th scope="col">Created</th><th scope="col">Duration</th></tr></thead>
        <tbody>
          ${executions.map(
            (e) => html`<tr key=${e.workflow_execution_id}>
              <td><${Link} href=${executionHref(e.workflow_execution_id)}><code>${e.workflow_execution_id}</code></${Link}></td>
              <td><${StatusBadge} status=${e.status} /></td>
              <td>v${e.workflow_version}</td>
              <td><${Time} value=${e.created_at} /></td>
              <td>${formatDuration(elapsed(e.started_at, e.completed_at))}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`}
    <${Pager}
      label="Executions pages"
      hasPrevious=${tokens.length > 1}
      nextToken=${page.data?.next_page_token}
      onPrevious=${() => setTokens((t) => t.slice(0, -1))}
      onNext=${() => setTokens((t) => [...t, page.data.next_page_token])}
    />
  </section>`;
}

export function WorkflowView({ workflowId, params }) {
  const requested = Number(params.get("version")) || undefined;
  const status = params.get("status") || "";
  const latest = useApi((signal) => api.getWorkflow(workflowId, undefined, signal), [workflowId]);
  const shown = useApi(
    (signal) =>
      requested ? api.getWorkflow(workflowId, requested, signal) : Promise.resolve(null),
    [workflowId, requested],
  );
  const latestWorkflow = latest.data;
  const workflow = (requested && shown.data) || latestWorkflow;
  useEffect(() => {
    document.title = `${workflow?.title || workflowId} · Dataflow`;
  }, [workflow?.title, workflowId]);

  // The executions load beside the definition, not after it.
  const executions = html`<${Executions} workflowId=${workflowId} status=${status} />`;
  if (latest.error) {
    return html`<section><h1><code>${workflowId}</code></h1><${ErrorBox} error=${latest.error} /></section>`;
  }
  if (!latestWorkflow) return html`<article><${Loading} what="Loading workflow" />${executions}</article>`;
  const versions = [];
  for (let v = latestWorkflow.workflow_version; v >= 1; v -= 1) versions.push(v);
  return html`<article class="workflow">
    <nav class="breadcrumbs" aria-label="Breadcrumbs"><${Link} href="/ui/">Workflows</${Link}> / <code>${workflowId}</code></nav>
    <div class="page-head">
      <h1>${workflow.title || workflowId}</h1>
      <div class="inline-field">
        <label for="version-select">Version</label>
        <select
          id="version-select"
          value=${String(workflow.workflow_version)}
          onChange=${(e) => {
            const v = Number(e.currentTarget.value);
            setQuery({ version: v === latestWorkflow.workflow_version ? "" : v });
          }}
        >
          ${versions.map(
            (v) => html`<option value=${String(v)}>v${v}${v === latestWorkflow.workflow_version ? " (latest)" : ""}</option>`,
          )}
        </select>
      </div>
    </div>
    ${workflow.description && html`<p class="lead">${workflow.description}</p>`}
    <p class="muted">
      <code>${workflowId}</code> · created <${Time} value=${workflow.created_at} />
      ${latestWorkflow.state === "WORKFLOW_STATE_ARCHIVED" && html` · <span class="tag">archived</span>`}
    </p>
    <${ErrorBox} error=${shown.error} />
    <div class="columns">
      <${Definition} workflow=${workflow} />
      <${RunForm} workflow=${latestWorkflow} />
    </div>
    ${executions}
  </article>`;
}
