import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerContext } from "../context";
import { escapeHtml, isLocalUrl, readBody, redirect, sendHtml } from "../http";
import { randomHex, type AuthorizationCode } from "../state";
import { BOT, MEMBERS, TEAM, findMember } from "../workspace";
import { simplePageHtml } from "./render";

/**
 * The browser side of OAuth v2 ("Add to Slack") and Sign in with Slack: an authorize page that
 * shows the app and the requested scopes, with Allow and Cancel. Allow redirects to redirect_uri
 * with `code` and `state`; Cancel with `error=access_denied` and `state`.
 */

type Flow = "oauth" | "openid";

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  scopes: string[];
  userScopes: string[];
  nonce: string;
}

function splitScopes(value: string | null, separator: RegExp): string[] {
  return (value ?? "").split(separator).map((scope) => scope.trim()).filter(Boolean);
}

function readAuthorizeRequest(flow: Flow, params: URLSearchParams): AuthorizeRequest {
  return {
    clientId: params.get("client_id") ?? "",
    redirectUri: params.get("redirect_uri") ?? "",
    state: params.get("state") ?? "",
    scopes: splitScopes(params.get("scope"), flow === "openid" ? /[\s,]+/ : /,/),
    userScopes: splitScopes(params.get("user_scope"), /,/),
    nonce: params.get("nonce") ?? "",
  };
}

/** Returns why the request cannot be shown or granted, as Slack's error name, or null. */
function requestProblem(server: ServerContext, flow: Flow, request: AuthorizeRequest): string | null {
  if (!request.clientId || request.clientId !== server.clientId) return "invalid_client_id";
  // The browser is only ever sent back to this machine.
  if (!request.redirectUri || !isLocalUrl(request.redirectUri)) return "bad_redirect_uri";
  if (flow === "openid" && !request.scopes.includes("openid")) return "invalid_scope";
  if (flow === "oauth" && request.scopes.length === 0 && request.userScopes.length === 0) return "invalid_scope";
  return null;
}

function problemPage(response: ServerResponse, problem: string): void {
  const explanations: Record<string, string> = {
    invalid_client_id: "The client_id does not belong to the sandbox app.",
    bad_redirect_uri: "redirect_uri is missing or does not point at 127.0.0.1 or localhost.",
    invalid_scope: "The request asks for no valid scope (Sign in with Slack needs at least openid).",
  };
  sendHtml(response, 400, simplePageHtml("This request can't be authorized", `<p><code>${escapeHtml(problem)}</code>: ${escapeHtml(explanations[problem] ?? "")}</p>`));
}

function hiddenFields(request: AuthorizeRequest, flow: Flow): string {
  const fields: Record<string, string> = {
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    state: request.state,
    scope: request.scopes.join(flow === "openid" ? " " : ","),
    user_scope: request.userScopes.join(","),
    nonce: request.nonce,
  };
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join("");
}

function scopeList(scopes: string[]): string {
  return scopes.length === 0 ? "<p>None</p>" : `<ul>${scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join("")}</ul>`;
}

// GET /oauth/v2/authorize and GET /openid/connect/authorize: the consent page.
export function handleAuthorizePage(server: ServerContext, response: ServerResponse, url: URL, flow: Flow): void {
  const request = readAuthorizeRequest(flow, url.searchParams);
  const problem = requestProblem(server, flow, request);
  if (problem) return problemPage(response, problem);

  const defaultUser = flow === "oauth" ? MEMBERS.find((member) => member.isOwner)?.id : undefined;
  const userOptions = MEMBERS.map(
    (member) => `<option value="${member.id}"${member.id === defaultUser ? " selected" : ""}>${escapeHtml(member.realName)} (${escapeHtml(member.email)})</option>`,
  ).join("");
  const title = flow === "oauth" ? `${BOT.name} is requesting permission to access the ${TEAM.name} Slack workspace` : `Sign in to ${BOT.name} with Slack`;
  const scopes =
    flow === "oauth"
      ? `<h2>Bot scopes</h2>${scopeList(request.scopes)}<h2>User scopes</h2>${scopeList(request.userScopes)}`
      : `<h2>Requested scopes</h2>${scopeList(request.scopes)}`;
  const action = flow === "oauth" ? "/oauth/v2/authorize" : "/openid/connect/authorize";
  const body =
    `<p>Workspace: <strong>${escapeHtml(TEAM.name)}</strong> (${escapeHtml(TEAM.domain)})</p>${scopes}` +
    `<form method="post" action="${action}">${hiddenFields(request, flow)}` +
    `<label for="authorize-user">${flow === "oauth" ? "Install as" : "Sign in as"}</label>` +
    `<select id="authorize-user" name="user_id">${userOptions}</select>` +
    `<div class="sb-modal__footer"><button type="submit" name="decision" value="cancel" class="sb-button">Cancel</button>` +
    `<button type="submit" name="decision" value="allow" class="sb-button sb-button--primary">Allow</button></div></form>`;
  sendHtml(response, 200, simplePageHtml(title, body));
}

function withQuery(target: string, params: Record<string, string>): string {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

// POST /oauth/v2/authorize and POST /openid/connect/authorize: Allow or Cancel on the consent page.
export async function handleAuthorizeDecision(server: ServerContext, request: IncomingMessage, response: ServerResponse, flow: Flow): Promise<void> {
  const form = new URLSearchParams((await readBody(request)).toString("utf8"));
  const authorize = readAuthorizeRequest(flow, form);
  const problem = requestProblem(server, flow, authorize);
  if (problem) return problemPage(response, problem);

  if (form.get("decision") !== "allow") {
    redirect(response, withQuery(authorize.redirectUri, { error: "access_denied", state: authorize.state }));
    return;
  }
  const userId = form.get("user_id") ?? "";
  if (!findMember(userId)) {
    sendHtml(response, 400, simplePageHtml("Choose a user", "<p>Pick one of the workspace's members and try again.</p>"));
    return;
  }
  const code = `${Date.now()}.${Math.floor(Math.random() * 1e12)}.${randomHex(24)}`;
  const grant: AuthorizationCode = {
    createdMs: server.nowMs(),
    used: false,
    clientId: authorize.clientId,
    redirectUri: authorize.redirectUri,
    userId,
    scopes: authorize.scopes,
    userScopes: authorize.userScopes,
    ...(authorize.nonce ? { nonce: authorize.nonce } : {}),
  };
  (flow === "oauth" ? server.state.oauthCodes : server.state.openidCodes).set(code, grant);
  redirect(response, withQuery(authorize.redirectUri, { code, state: authorize.state }));
}
