// The webhook delivery log of an execution, with a redeliver button per delivery.
import { html, useEffect, useState } from "../preact.js";
import { api } from "../api.js";
import { ErrorBox, StatusBadge, Time } from "../components.js";
import { parseTime } from "../format.js";
import { useApi } from "../hooks.js";

// Deliveries are not events of the stream: a pending one is looked at again when
// its next attempt is due (at least 1 s, at most 30 s from now).
const MIN_POLL_MS = 1000;
const MAX_POLL_MS = 30_000;

function nextPoll(deliveries, now = Date.now()) {
  const due = deliveries
    .filter((d) => d.status === "PENDING")
    .map((d) => (parseTime(d.next_attempt_at) ?? now) - now);
  if (due.length === 0) return null;
  return Math.min(Math.max(Math.min(...due), MIN_POLL_MS), MAX_POLL_MS);
}

function lastAttempt(delivery) {
  const attempts = delivery.attempts || [];
  const last = attempts[attempts.length - 1];
  if (!last) return "—";
  return last.error ? last.error : `HTTP ${last.status_code} in ${last.latency_ms ?? "?"} ms`;
}

export function WebhookDeliveries({ execution, refreshKey }) {
  const executionId = execution.workflow_execution_id;
  const [redelivered, setRedelivered] = useState(0);
  const [error, setError] = useState(null);
  const list = useApi(
    (signal) => api.listWebhookDeliveries(execution, signal),
    [executionId, refreshKey, redelivered],
  );
  const redeliver = async (webhookId) => {
    setError(null);
    try {
      await api.redeliverWebhook(webhookId);
      setRedelivered((n) => n + 1);
    } catch (err) {
      setError(err);
    }
  };
  const deliveries = list.data?.deliveries || [];
  const pollIn = nextPoll(deliveries);
  useEffect(() => {
    if (pollIn === null) return undefined;
    const timer = setTimeout(list.reload, pollIn);
    return () => clearTimeout(timer);
  }, [list.data, pollIn]);
  return html`<section aria-labelledby="webhooks-heading">
    <h2 id="webhooks-heading">Webhook deliveries</h2>
    <p class="muted">To <code>${execution.monitoring.webhook}</code></p>
    <${ErrorBox} error=${list.error || error} />
    ${list.data && deliveries.length === 0 && html`<p class="empty">No deliveries yet.</p>`}
    ${deliveries.length > 0 &&
    html`<div class="table-wrap"><table class="deliveries">
      <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last attempt</th><th scope="col">Next attempt</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>
        ${deliveries.map(
          (d) => html`<tr key=${d.webhook_id}>
            <td><code>${d.event_type}</code> <span class="muted">#${d.sequence}</span></td>
            <td><${StatusBadge} status=${d.status} /></td>
            <td>${d.attempt_count || 0}</td>
            <td>${lastAttempt(d)}</td>
            <td><${Time} value=${d.status === "PENDING" ? d.next_attempt_at : undefined} /></td>
            <td><button type="button" onClick=${() => redeliver(d.webhook_id)} aria-label=${`Redeliver ${d.event_type} #${d.sequence}`}>Redeliver</button></td>
          </tr>`,
        )}
      </tbody>
    </table></div>`}
  </section>`;
}
