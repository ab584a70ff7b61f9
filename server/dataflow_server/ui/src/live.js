// An execution's server-sent events (GET …/executions/{id}/events), resumed after a
// dropped connection from the last event seen, so that no event is missed or repeated.
import { useEffect, useRef, useState } from "./preact.js";
import { api } from "./api.js";

// EventSource delivers a named event (`event: task.completed`) only to a listener
// for that name: these are the execution event types of the API.
const EVENT_TYPES = [
  "execution.pending",
  "execution.running",
  "execution.completed",
  "execution.failed",
  "execution.cancelled",
  "task.running",
  "task.completed",
  "task.failed",
  "task.skipped",
  "task.retrying",
  "task.cancelled",
];
const TERMINAL = new Set(["execution.completed", "execution.failed", "execution.cancelled"]);
const MAX_BACKOFF_MS = 5000;

/**
 * Follows the events of an execution while `active`; calls `onEvent(event)` for each.
 * Returns the connection state: "idle", "connecting", "live", "reconnecting", "ended".
 */
export function useExecutionEvents(workflowId, executionId, active, onEvent) {
  const [state, setState] = useState("idle");
  const lastId = useRef(null);
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (!active || !workflowId) return undefined;
    let source = null;
    let timer = null;
    let stopped = false;
    let backoff = 250;
    const connect = () => {
      setState(lastId.current === null ? "connecting" : "reconnecting");
      source = new EventSource(
        api.eventsUrl({ workflow_id: workflowId, workflow_execution_id: executionId }, lastId.current),
      );
      source.onopen = () => {
        backoff = 250;
        setState("live");
      };
      const receive = (message) => {
        if (message.lastEventId) lastId.current = message.lastEventId;
        let event;
        try {
          event = JSON.parse(message.data);
        } catch {
          return;
        }
        handler.current(event);
        if (TERMINAL.has(message.type)) {
          stopped = true;
          source.close();
          setState("ended");
        }
      };
      for (const type of EVENT_TYPES) source.addEventListener(type, receive);
      source.onerror = () => {
        // Our own retry (not EventSource's): it also recovers from HTTP errors,
        // and resumes from the last event id through the query parameter.
        source.close();
        if (stopped) return;
        // A stream refused because the session ended shows the sign-in form instead.
        api.checkSession().catch(() => {});
        setState("reconnecting");
        timer = setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [workflowId, executionId, active]);
  return state;
}
