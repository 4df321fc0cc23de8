import type { AuditActor } from "../audit/record-audit";
import type { CurrentUser } from "../auth/session";
import { getEnv } from "../config/env";
import { AppError, errorResponse } from "../errors";
import { BodyTooLargeError, readRawBody } from "../http/raw-body";
import { scopedLogger } from "../log";

// Helpers for the JSON route handlers of the admin pages (/api/admin/…) and the JSON API (/api/v1/…).

const log = scopedLogger("admin-api");

/** Runs a route handler body and turns any thrown error into the JSON error response. */
export async function jsonRoute(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof AppError && error.status >= 500) log.warn({ code: error.code, message: error.message }, "Admin request failed");
    return errorResponse(error, log);
  }
}

/**
 * Reads a JSON body; anything else is rejected with invalid_input. With `allowEmpty`, an empty body
 * reads as {}.
 */
export async function readJsonBody(request: Request, options: { allowEmpty?: boolean } = {}): Promise<unknown> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new AppError("invalid_input", "Send the request body as JSON with Content-Type: application/json.");
  }
  let raw: Buffer;
  try {
    raw = await readRawBody(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new AppError("invalid_input", error.message);
    throw error;
  }
  if (options.allowEmpty && raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw new AppError("invalid_input", "The request body is not valid JSON.");
  }
}

/**
 * Rejects a cookie-authenticated write sent from another site. Browsers send Origin on every
 * cross-site POST, PUT, PATCH and DELETE, so an Origin that is neither this request's host nor
 * APP_URL's host (the public address behind a proxy) means a page elsewhere made the request.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (!origin) return;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = null;
  }
  const allowed = new Set([host, new URL(getEnv().appUrl).host]);
  if (!originHost || !allowed.has(originHost)) throw new AppError("forbidden", "Cross-site request rejected: use Switchboard's own pages or the JSON API with an API key.");
}

/** The audit actor of a signed-in web user. */
export function actorOf(user: CurrentUser): AuditActor & { userId: string } {
  return { userId: user.id, label: user.email };
}

/** The search parameters of a request URL as a plain object, for zod. */
export function searchParamsOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
