// Browser-side calls to Switchboard's JSON route handlers, with their error shape
// { error: { code, message, fields? } } turned into an ApiError.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Sends a request with an optional JSON body and returns the parsed JSON response. Throws ApiError on failure. */
export async function callApi<T>(url: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
      signal: init.signal,
    });
  } catch {
    throw new ApiError(0, "network_error", "Switchboard could not be reached. Check your connection and try again.");
  }
  const payload = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null;
  if (!response.ok) {
    const error = payload?.error;
    throw new ApiError(response.status, error?.code ?? "internal_error", error?.message ?? `Switchboard responded with status ${response.status}. Try again.`, error?.fields ?? {});
  }
  return payload as T;
}

/** Returns the sentence to show above a form after a failed submit. Field problems are shown beside their inputs. */
export function formErrorSummary(error: ApiError): string {
  const count = Object.keys(error.fields).length;
  if (error.code === "invalid_input" && count > 0) {
    return count === 1 ? "One field needs a change: see the message below it." : `${count} fields need changes: see the messages below them.`;
  }
  return error.message;
}
