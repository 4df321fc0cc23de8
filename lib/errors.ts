/** Error codes of domain functions; each maps to one HTTP status in one place. */
export const ERROR_STATUS = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  managed_by_config: 409,
  upstream_failed: 502,
  not_configured: 503,
} as const;

export type AppErrorCode = keyof typeof ERROR_STATUS;

/**
 * The one error class domain functions throw for expected failures. The message is written for the
 * person who sees it: what failed, on which value, and what to do.
 */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Field-level problems of invalid input, by field name. */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** A JSON error response: { error: { code, message, fields? } }. Unknown errors get a generic message. */
export function errorResponse(error: unknown, log?: { error: (object: object, message: string) => void }): Response {
  if (error instanceof AppError) {
    return Response.json({ error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } }, { status: error.status });
  }
  log?.error({ err: error }, "Unexpected error");
  return Response.json({ error: { code: "internal_error", message: "Switchboard failed to handle the request. The server log has the details." } }, { status: 500 });
}
