// The web console's shell: header with the id box, and the view for the current URL.
import { html, render, useEffect, useState } from "./preact.js";
import { adoptSession, api } from "./api.js";
import { Link, Loading } from "./components.js";
import { matchRoute, navigate, useLocation } from "./router.js";
import { ExecutionView } from "./views/execution.js";
import { SessionBar, SignInView } from "./views/sign-in.js";
import { WorkflowView } from "./views/workflow.js";
import { WorkflowsView } from "./views/workflows.js";

/** Paste any `we-…` or `wf-…` id and go there. */
function IdBox() {
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState("");
  const onSubmit = (event) => {
    event.preventDefault();
    const id = value.trim();
    if (id.startsWith("we-")) navigate(`/ui/executions/${encodeURIComponent(id)}`);
    else if (id.startsWith("wf-")) navigate(`/ui/workflows/${encodeURIComponent(id)}`);
    else {
      setProblem("Enter a workflow id (wf-…) or an execution id (we-…).");
      return;
    }
    setProblem("");
    setValue("");
  };
  return html`<form class="id-box" role="search" onSubmit=${onSubmit}>
    <label for="goto-id">Go to id</label>
    <input
      id="goto-id"
      name="id"
      placeholder="we-… or wf-…"
      autocomplete="off"
      spellcheck="false"
      value=${value}
      onInput=${(e) => setValue(e.currentTarget.value)}
      aria-describedby=${problem ? "goto-id-problem" : undefined}
    />
    <button type="submit">Go</button>
    ${problem && html`<span id="goto-id-problem" class="field-error" role="alert">${problem}</span>`}
  </form>`;
}

function NotFound() {
  return html`<section>
    <h1>Page not found</h1>
    <p><${Link} href="/ui/">Back to the workflows</${Link}></p>
  </section>`;
}

/** Asks the server whether it requires a sign-in, and keeps the session's state. */
function useConsoleSession() {
  const [session, setSession] = useState(null); // null: not known yet
  const [notice, setNotice] = useState("");
  const adopt = (described) => {
    adoptSession(described, (why) => {
      setNotice(why);
      adopt({ auth: "required", signed_in: false });
    });
    setSession(described);
  };
  useEffect(() => {
    const described = (d) => {
      if (d.ended) setNotice(d.ended); // e.g. its key was revoked since the last visit
      adopt(d);
    };
    api.session().then(described, () => adopt({ auth: "off" }));
  }, []);
  return { session, notice, adopt, setNotice };
}

function App() {
  const location = useLocation();
  const { session, notice, adopt, setNotice } = useConsoleSession();
  const signedOut = session?.auth === "required" && !session.signed_in;
  const route = matchRoute(location.pathname);
  const params = new URLSearchParams(location.search);
  let view;
  if (session === null) view = html`<${Loading} />`;
  else if (signedOut) {
    const signedIn = (described) => {
      setNotice("");
      adopt(described);
    };
    view = html`<${SignInView} onSignedIn=${signedIn} notice=${notice} />`;
  } else if (route.view === "workflows") view = html`<${WorkflowsView} params=${params} />`;
  else if (route.view === "workflow") {
    view = html`<${WorkflowView} key=${route.id} workflowId=${route.id} params=${params} />`;
  } else if (route.view === "execution") {
    view = html`<${ExecutionView} key=${route.id} executionId=${route.id} />`;
  } else view = html`<${NotFound} />`;
  return html`<header class="top">
      <${Link} href="/ui/" class="brand">Dataflow</${Link}>
      ${!signedOut && html`<${IdBox} />`}
      ${session?.signed_in &&
      html`<${SessionBar} session=${session} onSignedOut=${() => adopt({ auth: "required", signed_in: false })} />`}
    </header>
    <main id="main">${view}</main>`;
}

render(html`<${App} />`, document.getElementById("app"));
