// /ui/ — the workflows: title, description, latest version, recent executions, search.
import { html, useEffect, useState } from "../preact.js";
import { api } from "../api.js";
import { ErrorBox, executionHref, Link, Loading, StatusBadge, Time, workflowHref } from "../components.js";
import { setQuery } from "../router.js";

const PAGE_SIZE = 50;
const RECENT = 5;

/** The last few executions of one workflow, as status words linking to each. */
function RecentExecutions({ workflowId }) {
  const [state, setState] = useState({ executions: null, error: null });
  useEffect(() => {
    const controller = new AbortController();
    api
      .listExecutions(workflowId, { pageSize: RECENT, view: "EXECUTION_VIEW_BASIC" }, controller.signal)
      .then(
        (page) => setState({ executions: page.executions || [], error: null }),
        (error) => !controller.signal.aborted && setState({ executions: [], error }),
      );
    return () => controller.abort();
  }, [workflowId]);
  if (state.error) return html`<span class="muted">unavailable</span>`;
  if (state.executions === null) return html`<span class="muted">…</span>`;
  if (state.executions.length === 0) return html`<span class="muted">never run</span>`;
  return html`<ul class="recent">
    ${state.executions.map(
      (e) => html`<li>
        <${Link} href=${executionHref(e.workflow_execution_id)} title=${e.workflow_execution_id}>
          <${StatusBadge} status=${e.status} />
        </${Link}>
      </li>`,
    )}
  </ul>`;
}

export function WorkflowsView({ params }) {
  const search = params.get("q") || "";
  const [pages, setPages] = useState({ workflows: [], nextToken: "", error: null, loading: true });

  const loadPage = (token) => {
    setPages((p) => ({ ...p, loading: true }));
    api.listWorkflows({ pageSize: PAGE_SIZE, pageToken: token }).then(
      (page) =>
        setPages((p) => ({
          workflows: token ? [...p.workflows, ...(page.workflows || [])] : page.workflows || [],
          nextToken: page.next_page_token || "",
          error: null,
          loading: false,
        })),
      (error) => setPages((p) => ({ ...p, error, loading: false })),
    );
  };
  useEffect(() => {
    document.title = "Workflows · Dataflow";
    loadPage("");
  }, []);

  const needle = search.trim().toLowerCase();
  const shown = needle
    ? pages.workflows.filter((w) => (w.title || "").toLowerCase().includes(needle))
    : pages.workflows;

  return html`<section>
    <div class="page-head">
      <h1>Workflows</h1>
      <form class="search" role="search" onSubmit=${(e) => e.preventDefault()}>
        <label for="workflow-search">Search by title</label>
        <input
          id="workflow-search"
          type="search"
          value=${search}
          onInput=${(e) => setQuery({ q: e.currentTarget.value })}
        />
      </form>
    </div>
    <${ErrorBox} error=${pages.error} />
    ${pages.loading && pages.workflows.length === 0 && html`<${Loading} what="Loading workflows" />`}
    ${!pages.loading && pages.workflows.length === 0 && !pages.error &&
    html`<p class="empty">No workflows yet. Create one with <code>POST /workflows</code>.</p>`}
    ${shown.length > 0 &&
    html`<div class="table-wrap">
      <table class="workflows">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Latest version</th>
            <th scope="col">Updated</th>
            <th scope="col">Recent executions</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map(
            (w) => html`<tr key=${w.workflow_id}>
              <td>
                <${Link} href=${workflowHref(w.workflow_id)} class="title">${w.title || w.workflow_id}</${Link}>
                ${w.description && html`<div class="muted description">${w.description}</div>`}
                ${w.state === "WORKFLOW_STATE_ARCHIVED" && html`<span class="tag">archived</span>`}
              </td>
              <td>v${w.workflow_version}</td>
              <td><${Time} value=${w.updated_at || w.created_at} /></td>
              <td><${RecentExecutions} workflowId=${w.workflow_id} /></td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`}
    ${needle && shown.length === 0 && pages.workflows.length > 0 &&
    html`<p class="empty">No loaded workflow has “${search}” in its title.</p>`}
    ${pages.nextToken &&
    html`<p>
      <button type="button" onClick=${() => loadPage(pages.nextToken)} disabled=${pages.loading}>
        Load more workflows
      </button>
      ${needle && html`<span class="muted"> (search covers the workflows loaded so far)</span>`}
    </p>`}
  </section>`;
}
