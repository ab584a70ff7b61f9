// The public HTTP API, as the UI uses it: nothing here that a user's script cannot do.
// Every path the UI requests is built in this module.

/** An API refusal, from its application/problem+json body (RFC 9457). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title || `HTTP ${status}`;
    this.violations = Array.isArray(problem.field_violations) ? problem.field_violations : [];
  }
}

const seg = encodeURIComponent;
const executionPath = (execution) =>
  `/workflows/${seg(execution.workflow_id)}/executions/${seg(execution.workflow_execution_id)}`;

function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") q.set(key, String(value));
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}

async function request(method, path, body, options = {}) {
  const init = { method, headers: { Accept: "application/json" }, signal: options.signal };
  if (body instanceof Blob) {
    init.body = body;
    init.headers["Content-Type"] = body.type || "application/octet-stream";
    Object.assign(init.headers, options.headers || {});
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = {};
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { title: `HTTP ${response.status}`, detail: text.slice(0, 200) };
    }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const api = {
  listWorkflows: ({ pageSize, pageToken } = {}, signal) =>
    request("GET", `/workflows${query({ page_size: pageSize, page_token: pageToken })}`, undefined, {
      signal,
    }),
  getWorkflow: (workflowId, version, signal) =>
    request("GET", `/workflows/${seg(workflowId)}${query({ workflow_version: version })}`, undefined, {
      signal,
    }),
  listExecutions: (workflowId, { status, pageSize, pageToken, view } = {}, signal) =>
    request(
      "GET",
      `/workflows/${seg(workflowId)}/executions${query({
        status,
        page_size: pageSize,
        page_token: pageToken,
        view,
      })}`,
      undefined,
      { signal },
    ),
  executeWorkflow: (workflowId, body) =>
    request("POST", `/workflows/${seg(workflowId)}/executions`, body),
  // The one route without the workflow id: what /ui/executions/{id} and the id box need.
  getExecution: (executionId, signal) =>
    request("GET", `/executions/${seg(executionId)}`, undefined, { signal }),
  cancelExecution: (execution) => request("POST", `${executionPath(execution)}/cancel`, {}),
  retryExecution: (execution) => request("POST", `${executionPath(execution)}/retry`, {}),
  listWebhookDeliveries: (execution, signal) =>
    request("GET", `${executionPath(execution)}/webhook-deliveries`, undefined, { signal }),
  redeliverWebhook: (webhookId) =>
    request("POST", `/webhook-deliveries/${seg(webhookId)}/redeliver`, {}),
  uploadFile: (file) =>
    request("POST", `/files${query({ name: file.name })}`, file),
  fileContentUrl: (fileId) => `/files/${seg(fileId)}/content`,
  eventsUrl: (execution, lastEventId) =>
    `${executionPath(execution)}/events${query({ last_event_id: lastEventId })}`,
};
