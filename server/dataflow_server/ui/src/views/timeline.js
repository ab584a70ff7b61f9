// The tasks of an execution on a time axis (a Gantt-like chart, as in Prefect's and
// Temporal's UIs), with every task of the pinned definition, started or not.
import { html, useState } from "../preact.js";
import { ErrorBox, JsonBlock, StatusBadge, Time, Values } from "../components.js";
import { elapsed, formatDuration, parseTime } from "../format.js";

const MIN_BAR_PERCENT = 0.8;

/** The execution's task runs in definition order, with a PENDING row for any not listed. */
export function taskRows(execution, definition) {
  const runs = new Map((execution.tasks || []).map((run) => [run.name, run]));
  const defined = definition?.tasks || [];
  const rows = defined.map((task) => ({
    definition: task,
    run: runs.get(task.name) || { name: task.name, type: task.type, status: "PENDING" },
  }));
  const known = new Set(defined.map((t) => t.name));
  for (const run of execution.tasks || []) {
    if (!known.has(run.name)) rows.push({ definition: null, run });
  }
  return rows;
}

function axisRange(execution, rows, now) {
  const starts = rows.map((r) => parseTime(r.run.started_at)).filter((t) => t !== null);
  const ends = rows.map((r) => parseTime(r.run.completed_at)).filter((t) => t !== null);
  const start =
    parseTime(execution.started_at) ?? (starts.length ? Math.min(...starts) : parseTime(execution.created_at));
  const end = parseTime(execution.completed_at) ?? Math.max(now, ...ends);
  return { start, span: Math.max(end - start, 1) };
}

/** The items of a for_each task, one row each. */
function Items({ items }) {
  return html`<h4>Items</h4>
    <div class="table-wrap"><table class="items">
      <thead><tr><th scope="col">#</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
      <tbody>
        ${items.map(
          (item) => html`<tr key=${item.index}>
            <td>${item.index ?? 0}</td>
            <td><${StatusBadge} status=${item.status} /></td>
            <td>${item.attempts || 0}</td>
            <td>${formatDuration(elapsed(item.started_at, item.completed_at))}</td>
            <td>${item.error ? `${item.error.code}: ${item.error.message}` : ""}</td>
          </tr>`,
        )}
      </tbody>
    </table></div>`;
}

function TaskDetails({ row }) {
  const { run, definition } = row;
  return html`<div class="task-details">
    <dl class="facts">
      <div><dt>Type</dt><dd>${run.type || definition?.type}</dd></div>
      <div><dt>Status</dt><dd><${StatusBadge} status=${run.status} /></dd></div>
      <div><dt>Attempts</dt><dd>${run.attempts || 0}</dd></div>
      <div><dt>Started</dt><dd><${Time} value=${run.started_at} /></dd></div>
      <div><dt>Completed</dt><dd><${Time} value=${run.completed_at} /></dd></div>
    </dl>
    ${run.skip_reason && html`<p>Skipped: ${run.skip_reason}</p>`}
    ${run.error &&
    html`<${ErrorBox} error=${{ title: run.error.code, message: run.error.message }} />`}
    ${(run.items || []).length > 0 && html`<${Items} items=${run.items} />`}
    ${run.inputs !== undefined
      ? html`<h4>Inputs (resolved)</h4><${Values} values=${run.inputs} />`
      : definition && html`<h4>Inputs (as defined)</h4><${JsonBlock} value=${definition.inputs || {}} />`}
    <h4>Outputs</h4>
    <${Values}
      values=${run.outputs}
      empty=${run.status === "PENDING" || run.status === "RUNNING" ? "No outputs yet." : "No outputs."}
    />
  </div>`;
}

function TimelineRow({ row, range, now }) {
  const [open, setOpen] = useState(false);
  const { run } = row;
  const started = parseTime(run.started_at);
  let bar;
  if (started === null) {
    bar = html`<div class="tl-bar tl-none">not started</div>`;
  } else {
    const ended = parseTime(run.completed_at) ?? now;
    // At least a sliver, kept inside the track (an instant task at the very end too).
    const width = Math.min(Math.max(((ended - started) / range.span) * 100, MIN_BAR_PERCENT), 100);
    const left = Math.min(Math.max(((started - range.start) / range.span) * 100, 0), 100 - width);
    bar = html`<div
      class=${`tl-bar tl-${(run.status || "").toLowerCase()}`}
      style=${{ left: `${left}%`, width: `${width}%` }}
    ></div>`;
  }
  const detailsId = `task-${run.name}-details`;
  return html`<li class="tl-row" data-task=${run.name}>
    <button type="button" class="tl-name" aria-expanded=${open ? "true" : "false"} aria-controls=${detailsId}
      onClick=${() => setOpen(!open)}>
      <span aria-hidden="true">${open ? "▾" : "▸"}</span> ${run.name}
    </button>
    <div class="tl-track">${bar}</div>
    <div class="tl-status">
      <${StatusBadge} status=${run.status} />
      <span class="muted">${formatDuration(elapsed(run.started_at, run.completed_at, now))}</span>
    </div>
    ${open && html`<div id=${detailsId} class="tl-details"><${TaskDetails} row=${row} /></div>`}
  </li>`;
}

export function Timeline({ execution, definition, now }) {
  const rows = taskRows(execution, definition);
  if (rows.length === 0) return html`<p class="muted">No tasks.</p>`;
  const range = axisRange(execution, rows, now);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return html`<div class="timeline">
    <div class="tl-axis" aria-hidden="true">
      <span></span>
      <div class="tl-ticks">
        ${ticks.map((t) => html`<span style=${{ left: `${t * 100}%` }}>${formatDuration(range.span * t)}</span>`)}
      </div>
      <span></span>
    </div>
    <ol class="tl-rows">
      ${rows.map((row) => html`<${TimelineRow} key=${row.run.name} row=${row} range=${range} now=${now} />`)}
    </ol>
  </div>`;
}
