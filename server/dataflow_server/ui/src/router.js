// Client-side routes under /ui/ with the History API: every view has its own URL,
// which the server answers with the same index.html.
import { useEffect, useState } from "./preact.js";

export const BASE = "/ui";
const CHANGE = "dataflow:navigate";

export function navigate(href, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  window.dispatchEvent(new Event(CHANGE));
}

/** Replace the current URL's query (filters, page), keeping the history entry. */
export function setQuery(params) {
  const search = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") search.delete(key);
    else search.set(key, String(value));
  }
  const text = search.toString();
  navigate(`${location.pathname}${text ? `?${text}` : ""}`, { replace: true });
}

export function matchRoute(pathname) {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  let match;
  if (rest === "" || rest === "/") return { view: "workflows" };
  if ((match = rest.match(/^\/workflows\/([^/]+)\/?$/))) {
    return { view: "workflow", id: decodeURIComponent(match[1]) };
  }
  if ((match = rest.match(/^\/executions\/([^/]+)\/?$/))) {
    return { view: "execution", id: decodeURIComponent(match[1]) };
  }
  return { view: "not-found" };
}

/** The current location; re-renders on navigation and on back/forward. */
export function useLocation() {
  const read = () => ({ pathname: location.pathname, search: location.search });
  const [current, setCurrent] = useState(read);
  useEffect(() => {
    const update = () => setCurrent(read());
    window.addEventListener("popstate", update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return current;
}
