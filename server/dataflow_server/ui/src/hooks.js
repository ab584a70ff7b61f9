// Loading data from the API inside a view.
import { useCallback, useEffect, useRef, useState } from "./preact.js";

/**
 * `load(signal)` runs when `deps` change; the answer of a superseded or unmounted
 * load is dropped. Returns `{data, error, loading, reload, setData}`.
 */
export function useApi(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const controller = useRef(null);
  const run = useCallback(() => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setState((s) => ({ ...s, loading: true }));
    load(current.signal).then(
      (data) => !current.signal.aborted && setState({ data, error: null, loading: false }),
      (error) => !current.signal.aborted && setState({ data: null, error, loading: false }),
    );
  }, deps);
  useEffect(() => {
    run();
    return () => controller.current?.abort();
  }, [run]);
  const setData = useCallback((update) => {
    setState((s) => ({ ...s, data: typeof update === "function" ? update(s.data) : update }));
  }, []);
  return { ...state, reload: run, setData };
}

/** Re-render every `ms` while `active` (running clocks and timelines). */
export function useTicker(active, ms = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [active, ms]);
  return now;
}
