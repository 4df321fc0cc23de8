// Client-side fetch of the admin JSON routes, turning their {"error":{code,message,fields}} bodies into errors.

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: Record<string, string> };
}

/** Fetches JSON from Switchboard's own routes; throws ApiRequestError with the server's message on failure. */
export async function apiFetch<T>(url: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
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
    throw new ApiRequestError(0, "network_error", "Switchboard could not be reached. Check your connection and try again.");
  }
  const body = (await response.json().catch(() => ({}))) as T & ErrorBody;
  if (!response.ok) {
    throw new ApiRequestError(
      response.status,
      body.error?.code ?? "request_failed",
      body.error?.message ?? `The request failed with status ${response.status}.`,
      body.error?.fields ?? {},
    );
  }
  return body;
}
