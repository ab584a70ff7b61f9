// /ui/executions/{id} — "monitoring via the Workflow Execution ID": status, times,
// the task timeline, outputs, cancel/retry, webhook deliveries; live from the SSE stream.
import { html, useEffect, useRef, useState } from "../preact.js";
import { api } from "../api.js";
import { ErrorBox, Link, Loading, StatusBadge, Time, Values, workflowHref } from "../components.js";
import { ACTIVE_STATUSES, elapsed, formatDuration } from "../format.js";
import { useApi, useTicker } from "../hooks.js";
import { useExecutionEvents } from "../live.js";
import { Timeline } from "./timeline.js";
import { WebhookDeliveries } from "./webhooks.js";

const REFRESH_DELAY_MS = 200;

const LIVE_WORDS = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  ended: "Finished",
};

/** Applies an event without a snapshot to the execution shown (the refetch then fills in outputs). */
function applyEvent(execution, event) {
  const next = { ...execution };
  if (event.status && event.type.startsWith("execution.")) next.status = event.status;
  if (event.task_name) {
    next.tasks = (execution.tasks || []).map((run) => {
      if (run.name !== event.task_name) return run;
      const patched = { ...run, status: event.task_status || run.status };
      if (event.attempt) patched.attempts = event.attempt;
      if (event.type === "task.running" && !run.started_at) patched.started_at = event.timestamp;
      if (["task.completed", "task.failed", "task.cancelled"].includes(event.type)) {
        patched.completed_at = event.timestamp;
      }
      if (event.error) patched.error = event.error;
      return patched;
    });
  }
  return next;
}

function Actions({ execution, onChange }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const act = (call) => async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await call(execution);
      onChange(answer);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const canCancel = ACTIVE_STATUSES.has(execution.status);
  const canRetry = execution.status === "FAILED" || execution.status === "CANCELLED";
  return html`<div class="actions">
    ${canCancel && html`<button type="button" class="danger" disabled=${busy} onClick=${act(api.cancelExecution)}>Cancel execution</button>`}
    ${canRetry && html`<button type="button" disabled=${busy} onClick=${act(api.retryExecution)}>Retry execution</button>`}
    <${ErrorBox} error=${error} />
  </div>`;
}

export function ExecutionView({ executionId }) {
  const loaded = useApi((signal) => api.getExecution(executionId, signal), [executionId]);
  const execution = loaded.data;
  const workflowId = execution?.workflow_id;
  const version = execution?.workflow_version;
  const workflow = useApi(
    (signal) => (workflowId ? api.getWorkflow(workflowId, version, signal) : Promise.resolve(null)),
    [workflowId, version],
  );
  const definition = workflow.data;
  const active = Boolean(execution && ACTIVE_STATUSES.has(execution.status));
  const now = useTicker(active);
  const [deliveriesKey, setDeliveriesKey] = useState(0);

  // Events without a snapshot are applied at once; one refetch (coalesced) then
  // brings what events do not carry (task outputs).
  const refreshTimer = useRef(null);
  const scheduleRefresh = () => {
    if (refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      api.getExecution(executionId).then((fresh) => loaded.setData(fresh), () => {});
      setDeliveriesKey((k) => k + 1);
    }, REFRESH_DELAY_MS);
  };
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  const liveState = useExecutionEvents(workflowId, executionId, active, (event) => {
    if (event.execution) loaded.setData(event.execution);
    else loaded.setData((current) => (current ? applyEvent(current, event) : current));
    scheduleRefresh();
  });

  useEffect(() => {
    document.title = `${executionId} · ${execution?.status || "…"} · Dataflow`;
  }, [executionId, execution?.status]);

  if (loaded.error) {
    return html`<section><h1><code>${executionId}</code></h1><${ErrorBox} error=${loaded.error} /></section>`;
  }
  if (!execution) return html`<${Loading} what="Loading execution" />`;
  return html`<article class="execution">
    <nav class="breadcrumbs" aria-label="Breadcrumbs">
      <${Link} href="/ui/">Workflows</${Link}>${" / "}<${Link} href=${workflowHref(execution.workflow_id)}>${definition?.title || execution.workflow_id}</${Link}>${" / "}<code>${execution.workflow_execution_id}</code>
    </nav>
    <div class="page-head">
      <h1>Execution <code>${execution.workflow_execution_id}</code></h1>
      <div class="head-status">
        <${StatusBadge} status=${execution.status} />
        ${(active || liveState === "ended") &&
        html`<span class=${`live live-${liveState}`} aria-live="polite">${LIVE_WORDS[liveState] || ""}</span>`}
      </div>
    </div>
    <dl class="facts">
      <div><dt>Workflow</dt><dd><${Link} href=${workflowHref(execution.workflow_id)}><code>${execution.workflow_id}</code></${Link}></dd></div>
      <div><dt>Version</dt><dd>v${execution.workflow_version}</dd></div>
      <div><dt>Created</dt><dd><${Time} value=${execution.created_at} /></dd></div>
      <div><dt>Started</dt><dd><${Time} value=${execution.started_at} /></dd></div>
      <div><dt>Completed</dt><dd><${Time} value=${execution.completed_at} /></dd></div>
      <div><dt>Duration</dt><dd>${formatDuration(elapsed(execution.started_at, execution.completed_at, now))}</dd></div>
    </dl>
    <${Actions} execution=${execution} onChange=${(fresh) => fresh && loaded.setData(fresh)} />
    ${execution.error &&
    html`<${ErrorBox}
      error=${{
        title: `${execution.error.code}${execution.error.task_name ? ` in task ${execution.error.task_name}` : ""}`,
        message: execution.error.message,
      }}
    />`}
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Tasks</h2>
      <${Timeline} execution=${execution} definition=${definition} now=${now} />
    </section>
    <div class="columns">
      <section aria-labelledby="outputs-heading">
        <h2 id="outputs-heading">Outputs</h2>
        <${Values} values=${execution.outputs} empty=${active ? "Not yet: the execution is running." : "No outputs."} />
      </section>
      <section aria-labelledby="inputs-heading">
        <h2 id="inputs-heading">Inputs</h2>
        <${Values} values=${execution.inputs} />
      </section>
    </div>
    ${execution.monitoring?.webhook &&
    html`<${WebhookDeliveries} execution=${execution} refreshKey=${deliveriesKey} />`}
  </article>`;
}
