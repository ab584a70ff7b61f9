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

// The console's session (docs/ui.md, "Signing in"): the cookie travels by itself; the
// CSRF token, which the server gives with the session, goes with every other method.
const session = { csrfToken: null, required: false, onEnded: () => {} };

/** Remember the session the server described (GET or POST /ui/session). */
export function adoptSession(described, onEnded) {
  session.required = described.auth === "required";
  session.csrfToken = described.signed_in ? described.csrf_token : null;
  session.onEnded = onEnded;
}

async function request(method, path, body, options = {}) {
  const init = { method, headers: { Accept: "application/json" }, signal: options.signal };
  if (method !== "GET" && session.csrfToken) init.headers["X-CSRF-Token"] = session.csrfToken;
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
  if (response.status === 401 && session.required && !options.signingIn) {
    session.csrfToken = null;
    session.onEnded(data.detail || "The session has ended.");
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const api = {
  session: () => request("GET", "/ui/session"),
  signIn: (apiKey) => request("POST", "/ui/session", { api_key: apiKey }, { signingIn: true }),
  signOut: () => request("DELETE", "/ui/session"),
  /** After a dropped event stream: has the session ended (revoked key, expiry)? */
  checkSession: async () => {
    if (!session.required) return;
    const described = await request("GET", "/ui/session");
    if (!described.signed_in) session.onEnded(described.ended || "The session has ended.");
  },
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
