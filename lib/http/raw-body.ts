/** The largest request body Switchboard accepts from Slack or PagerDuty (PagerDuty drops >256 KB). */
export const MAX_BODY_BYTES = 512 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`Request body is larger than ${MAX_BODY_BYTES} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** Reads the exact bytes of a request body, refusing bodies over the limit. */
export async function readRawBody(request: Request): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new BodyTooLargeError();
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > MAX_BODY_BYTES) throw new BodyTooLargeError();
  return body;
}

/** A JSON error body in one shape for every inbound route: { error: { code, message } }. */
export function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

/**
 * Reads the exact body bytes, or returns the 413 response to send when the body is over the limit.
 * Every inbound route of Slack and PagerDuty starts with it.
 */
export async function readRawBodyOrReject(request: Request): Promise<Buffer | Response> {
  try {
    return await readRawBody(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return jsonError(413, "body_too_large", error.message);
    throw error;
  }
}
