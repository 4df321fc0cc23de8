import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakePagerDutyApp } from "./app";
import {
  FakeApiError,
  authenticationFailed,
  invalidInput,
  missingFromHeader,
  notFound,
  rateLimitExceeded,
  requesterNotFound,
} from "./errors";
import { QueryParams, readBody, sendJson } from "./http";
import type { Actor } from "./incidents";
import { directoryRoutes } from "./rest-directory";
import { incidentRoutes } from "./rest-incidents";
import { scheduleRoutes } from "./rest-schedules";
import { webhookSubscriptionRoutes } from "./rest-webhooks";
import { matchRoute, type RestResult, type RestRoute } from "./routes";

export const REST_ROUTES: readonly RestRoute[] = [...incidentRoutes, ...directoryRoutes, ...scheduleRoutes, ...webhookSubscriptionRoutes];

interface IncomingRestRequest {
  method: string;
  path: string;
  query: QueryParams;
  headers: IncomingMessage["headers"];
  body: unknown;
  bodyIsInvalidJson: boolean;
}

/** Serves one REST API v2 request and records it in the request log. */
export async function serveRest(app: FakePagerDutyApp, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const method = request.method ?? "GET";
  const query = new QueryParams(url.searchParams);
  let loggedBody: unknown = null;
  let status: number;
  let body: unknown;
  let headers: Record<string, string> = {};

  try {
    const raw = (await readBody(request)).toString("utf8");
    const parsed = parseJson(raw);
    loggedBody = parsed.ok ? parsed.value : raw;
    const result = executeRest(app, {
      method,
      path: url.pathname,
      query,
      headers: request.headers,
      body: parsed.ok ? parsed.value : undefined,
      bodyIsInvalidJson: !parsed.ok,
    });
    status = result.status;
    body = result.body;
    headers = app.countRateLimitedCall();
  } catch (error) {
    if (error instanceof FakeApiError) {
      status = error.status;
      body = error.toBody();
      headers = error.status === 429 ? error.headers : app.countRateLimitedCall();
    } else {
      app.config.logger.error({ err: error, method, path: url.pathname }, "fake PagerDuty REST handler failed");
      status = 500;
      body = { error: { message: "An internal error has occurred. PagerDuty team has been notified.", code: 2000, errors: [] } };
    }
  }

  app.logRequest({
    at: app.now(),
    method,
    path: url.pathname,
    query: query.toObject(),
    headers: loggableHeaders(request.headers),
    body: loggedBody,
    status,
  });
  sendJson(response, status, body, headers);
}

function executeRest(app: FakePagerDutyApp, request: IncomingRestRequest): RestResult {
  if (app.forcedRateLimits > 0) {
    app.forcedRateLimits -= 1;
    throw rateLimitExceeded({
      "ratelimit-limit": "960",
      "ratelimit-remaining": "0",
      "ratelimit-reset": String(app.rateLimitResetSeconds),
    });
  }

  authenticate(app, request.headers.authorization);
  checkApiVersion(request.headers.accept);

  const matched = matchRoute(REST_ROUTES, request.method, request.path);
  if (!matched) throw notFound(`The fake PagerDuty has no ${request.method} ${request.path}`);
  if (request.bodyIsInvalidJson) throw invalidInput("The request body is not valid JSON");

  let actor: Actor | null = null;
  if (matched.route.requiresFrom) actor = { user: resolveFromUser(app, request.headers.from), channel: "api" };

  return matched.route.handle({ app, params: matched.params, query: request.query, body: request.body, actor });
}

/** Accepts `Authorization: Token token=<key>` (API keys) and `Bearer <key>` (OAuth tokens). */
function authenticate(app: FakePagerDutyApp, header: string | undefined): void {
  if (!header) throw authenticationFailed('The Authorization header is missing; send "Authorization: Token token=<API key>"');
  const token = /^Token token=(.+)$/i.exec(header.trim())?.[1] ?? /^Bearer (.+)$/i.exec(header.trim())?.[1];
  if (!token) throw authenticationFailed('The Authorization header must be "Token token=<API key>" or "Bearer <token>"');
  if (token !== app.config.apiToken) throw authenticationFailed("The API token is not valid");
}

/** Rejects an Accept header that requests a version other than 2; without one, version 2 applies. */
function checkApiVersion(accept: string | undefined): void {
  const version = /application\/vnd\.pagerduty\+json;\s*version=(\d+)/i.exec(accept ?? "")?.[1];
  if (version !== undefined && version !== "2") {
    throw invalidInput(`The fake serves only version 2 of the REST API; the Accept header asks for version ${version}`);
  }
}

function resolveFromUser(app: FakePagerDutyApp, from: string | undefined) {
  const email = from?.trim();
  if (!email) throw missingFromHeader();
  const user = app.account.findUserByEmail(email);
  if (!user) throw requesterNotFound(email);
  return user;
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  if (raw.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Request headers for the request log, with the API token reduced to its last four characters. */
function loggableHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    result[name] = name === "authorization" ? maskAuthorization(text) : text;
  }
  return result;
}

export function maskAuthorization(value: string): string {
  const match = /^(Token token=|Bearer )(.*)$/i.exec(value.trim());
  const scheme = match?.[1] ?? "";
  const secret = match?.[2] ?? value;
  return `${scheme}${secret.length >= 12 ? `****${secret.slice(-4)}` : "****"}`;
}
