import { AppError, errorResponse } from "../errors";
import { readJsonBody } from "../extensions/route-helpers";
import { scopedLogger } from "../log";

// Helpers for the JSON route handlers of setup, invitations and the Users page.

const log = scopedLogger("users-api");

/**
 * Runs a route handler body and turns a thrown error into the JSON error response
 * `{ error: { code, message, fields? } }`. Unexpected errors are logged and get status 500.
 */
export async function handleJson(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    return errorResponse(error, log);
  }
}

/**
 * Reads the JSON body of a write from Switchboard's pages. Requiring Content-Type: application/json
 * and rejecting an Origin of another host keeps other sites from sending it, because a cross-site
 * form cannot send JSON and browsers send Origin with every cross-site POST, PUT, PATCH and DELETE.
 */
export async function readJsonWrite(request: Request): Promise<unknown> {
  assertSameOrigin(request);
  return readJsonBody(request, { allowEmpty: true });
}

/** Rejects a request whose Origin header names another host than the one it was sent to. */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (!origin) return;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string | null;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = null;
  }
  if (!host || originHost !== host) throw new AppError("forbidden", "Cross-site request rejected: use Switchboard's own pages.");
}

export { actorOf } from "../extensions/route-helpers";
