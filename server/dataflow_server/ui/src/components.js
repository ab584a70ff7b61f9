// Small pieces shared by the views. Every value is rendered as text by Preact
// (no innerHTML anywhere), so titles, inputs and outputs cannot inject markup.
import { html } from "./preact.js";
import { api } from "./api.js";
import { formatBytes, formatTime, isFileValue } from "./format.js";
import { navigate } from "./router.js";

const STATUS_ICONS = {
  PENDING: "○",
  RUNNING: "◔",
  COMPLETED: "✓",
  DELIVERED: "✓",
  FAILED: "✕",
  CANCELLED: "⊘",
  SKIPPED: "↷",
};

/** A status as a word and a colour (and an icon), never colour alone. */
export function StatusBadge({ status }) {
  const word = status || "UNKNOWN";
  return html`<span class=${`status status-${word.toLowerCase()}`} data-status=${word}>
    <span class="status-icon" aria-hidden="true">${STATUS_ICONS[word] || "?"}</span>
    ${word}
  </span>`;
}

/** An in-app link: plain `<a href>` (keyboard, middle-click, copy link) routed without reload. */
export function Link({ href, children, ...rest }) {
  const onClick = (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(href);
  };
  return html`<a href=${href} onClick=${onClick} ...${rest}>${children}</a>`;
}

export const workflowHref = (id) => `/ui/workflows/${encodeURIComponent(id)}`;
export const executionHref = (id) => `/ui/executions/${encodeURIComponent(id)}`;

export function Time({ value }) {
  return value ? html`<time datetime=${value} title=${value}>${formatTime(value)}</time>` : "—";
}

export function ErrorBox({ error, title = "Request failed" }) {
  if (!error) return null;
  const violations = error.violations || [];
  return html`<div class="error-box" role="alert">
    <strong>${error.title || title}</strong>
    <p>${error.message}</p>
    ${violations.length > 0 &&
    html`<ul>
      ${violations.map((v) => html`<li><code>${v.field}</code>: ${v.description}</li>`)}
    </ul>`}
  </div>`;
}

export function Loading({ what = "Loading" }) {
  return html`<p class="muted" aria-live="polite">${what}…</p>`;
}

export function JsonBlock({ value }) {
  return html`<pre class="json">${JSON.stringify(value, null, 2)}</pre>`;
}

/** A file value: a player or picture for what it is, and always a download link. */
export function FileView({ file }) {
  const url = api.fileContentUrl(file.file_id);
  const type = file.content_type || "";
  const name = file.name || file.file_id;
  let preview = null;
  if (type.startsWith("audio/")) {
    preview = html`<audio controls preload="metadata" src=${url} aria-label=${`Play ${name}`}></audio>`;
  } else if (type.startsWith("image/")) {
    preview = html`<img class="preview" src=${url} alt=${name} loading="lazy" />`;
  } else if (type.startsWith("video/")) {
    preview = html`<video controls preload="metadata" src=${url} aria-label=${name}></video>`;
  }
  return html`<div class="file">
    ${preview}
    <div>
      <a href=${url} download=${name}>Download ${name}</a>
      <span class="muted"> ${type} ${formatBytes(file.size_bytes)}</span>
    </div>
  </div>`;
}

/** Any JSON value rendered for what it is: file, text, number, boolean or JSON. */
export function ValueView({ value }) {
  if (value === null || value === undefined) return html`<span class="muted">—</span>`;
  if (isFileValue(value)) return html`<${FileView} file=${value} />`;
  if (typeof value === "string") return html`<pre class="text">${value}</pre>`;
  if (typeof value === "number" || typeof value === "boolean") {
    return html`<code>${String(value)}</code>`;
  }
  return html`<${JsonBlock} value=${value} />`;
}

/** A name → value list (inputs or outputs). */
export function Values({ values, empty = "None" }) {
  const entries = Object.entries(values || {});
  if (entries.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<dl class="values">
    ${entries.map(
      ([name, value]) => html`<div class="value-row">
        <dt>${name}</dt>
        <dd><${ValueView} value=${value} /></dd>
      </div>`,
    )}
  </dl>`;
}

/** Previous / next over opaque page tokens (the API's pagination). */
export function Pager({ hasPrevious, nextToken, onPrevious, onNext, label }) {
  if (!hasPrevious && !nextToken) return null;
  return html`<nav class="pager" aria-label=${label}>
    <button type="button" onClick=${onPrevious} disabled=${!hasPrevious}>← Previous</button>
    <button type="button" onClick=${onNext} disabled=${!nextToken}>Next →</button>
  </nav>`;
}
