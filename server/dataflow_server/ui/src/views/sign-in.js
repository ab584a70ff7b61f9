// Signing in with an API key when the server requires one (docs/ui.md, "Signing in").
// The key is sent once, to POST /ui/session; the browser keeps only the session cookie,
// which page scripts cannot read.
import { html, useState } from "../preact.js";
import { api } from "../api.js";

export function SignInView({ onSignedIn, notice }) {
  const [key, setKey] = useState("");
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const described = await api.signIn(key.trim());
      setKey("");
      onSignedIn(described);
    } catch (error) {
      setProblem(error.message);
      setBusy(false);
    }
  };
  return html`<section class="sign-in">
    <h1>Sign in</h1>
    <p>This server requires an API key. The console keeps a session in a cookie; the key itself is not stored in the browser.</p>
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <form onSubmit=${onSubmit}>
      <div class="field">
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api_key"
          type="password"
          autocomplete="off"
          spellcheck="false"
          required
          value=${key}
          onInput=${(e) => setKey(e.currentTarget.value)}
          aria-invalid=${problem ? "true" : undefined}
          aria-describedby=${problem ? "api-key-problem" : undefined}
        />
        ${problem && html`<span id="api-key-problem" class="field-error" role="alert">${problem}</span>`}
      </div>
      <button type="submit" class="primary" disabled=${busy}>Sign in</button>
    </form>
  </section>`;
}

/** The header's "tenant · scope · Sign out" while signed in. */
export function SessionBar({ session, onSignedOut }) {
  const signOut = async () => {
    try {
      await api.signOut();
    } finally {
      onSignedOut();
    }
  };
  return html`<div class="session-bar">
    <span>Tenant <strong class="tenant">${session.tenant_id}</strong> (${session.scope})</span>
    <button type="button" onClick=${signOut}>Sign out</button>
  </div>`;
}
