// Browser-side sign-in and sign-out against next-auth's own endpoints under /api/auth.
//
// next-auth/react does the same, but it also brings a session context, a broadcast channel and
// Babel's async helpers: 9 kB gzipped on every page that shows a sign-out button. Switchboard reads
// the session on the server only, so these three POSTs are all the browser needs. The protocol is
// next-auth 4's: fetch a CSRF token (which also sets its cookie), then POST a form with `json=true`
// so that the response is `{ url }` instead of a redirect.

const AUTH_BASE = "/api/auth";

/** The outcome of a sign-in attempt, with next-auth's error code (CredentialsSignin, OAuthSignin, …). */
export interface SignInResult {
  ok: boolean;
  error: string | null;
}

async function csrfToken(): Promise<string> {
  const response = await fetch(`${AUTH_BASE}/csrf`, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`Requesting a sign-in token failed with status ${response.status}.`);
  const { csrfToken: token } = (await response.json()) as { csrfToken?: string };
  if (!token) throw new Error("The sign-in token is missing from Switchboard's response.");
  return token;
}

async function postForm(path: string, fields: Record<string, string>): Promise<{ response: Response; url: string | null }> {
  const body = new URLSearchParams({ ...fields, csrfToken: await csrfToken(), json: "true" });
  const response = await fetch(`${AUTH_BASE}${path}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body,
  });
  const payload = (await response.json().catch(() => null)) as { url?: string } | null;
  return { response, url: typeof payload?.url === "string" ? payload.url : null };
}

/** Signs in with email and password without leaving the page. The caller navigates on success. */
export async function signInWithPassword(email: string, password: string, callbackUrl: string): Promise<SignInResult> {
  const { response, url } = await postForm("/callback/credentials", { email, password, callbackUrl });
  // On failure next-auth responds with the error page's URL, carrying ?error=CredentialsSignin.
  const error = url ? new URL(url, window.location.origin).searchParams.get("error") : "Unknown";
  return { ok: response.ok && !error, error: response.ok ? error : (error ?? "Unknown") };
}

/** Starts Sign in with Slack: requests Slack's authorize URL from next-auth and opens it. */
export async function signInWithSlack(callbackUrl: string): Promise<void> {
  const { response, url } = await postForm("/signin/slack", { callbackUrl });
  if (!response.ok || !url) throw new Error(`Starting Sign in with Slack failed with status ${response.status}.`);
  window.location.assign(url);
}

/** Ends the session (next-auth clears its cookie) and opens `callbackUrl`. */
export async function signOut(callbackUrl: string): Promise<void> {
  const { response, url } = await postForm("/signout", { callbackUrl });
  if (!response.ok) throw new Error(`Signing out failed with status ${response.status}.`);
  window.location.assign(url ?? callbackUrl);
}
