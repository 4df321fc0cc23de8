import type { Logger } from "pino";
import { z } from "zod";
import { scopedLogger } from "../log";

/** An error response of the PagerDuty REST API, with its HTTP status and PagerDuty error code. */
export class PagerDutyApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | null,
    message: string,
    readonly errors: string[] = [],
  ) {
    super(message);
    this.name = "PagerDutyApiError";
  }

  /** True for failures worth retrying later: rate limits, server errors and timeouts. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500 || this.status === 0;
  }
}

/** PagerDuty error codes used to explain refusals. */
export const PAGERDUTY_ERROR_CODES = {
  alreadyResolved: 1001,
  alreadyAcknowledged: 1002,
  invalidStatus: 1003,
  invalidInput: 2001,
  authenticationFailed: 2006,
  accessDenied: 2010,
  rateLimited: 2020,
  notFound: 2100,
} as const;

const errorBodySchema = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    errors: z.array(z.string()).optional(),
  }),
});

export interface PagerDutyClientOptions {
  apiUrl: string;
  apiToken: string;
  timeoutMs?: number;
  /** How many times a 429 or 5xx is retried inside one call before the error is thrown. */
  maxRetries?: number;
  logger?: Logger;
}

interface RequestOptions {
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  /** Email of the PagerDuty user in whose name a write runs (the From header). */
  from?: string;
}

const MAX_LIMIT = 100;

/** A small client for PagerDuty's REST API v2, with its auth, version header, errors and paging. */
export class PagerDutyClient {
  private readonly baseUrl: string;
  private readonly log: Logger;

  constructor(private readonly options: PagerDutyClientOptions) {
    this.baseUrl = options.apiUrl.replace(/\/+$/, "");
    this.log = options.logger ?? scopedLogger("pagerduty-client");
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
      else url.searchParams.set(key, String(value));
    }

    const headers: Record<string, string> = {
      Accept: "application/vnd.pagerduty+json;version=2",
      Authorization: `Token token=${this.options.apiToken}`,
    };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (options.from) headers.From = options.from;

    const maxRetries = this.options.maxRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt < maxRetries) {
          await sleep(backoffMs(attempt));
          continue;
        }
        throw new PagerDutyApiError(0, null, `PagerDuty request ${method} ${path} failed: ${reason}`);
      }

      if (response.ok) {
        if (response.status === 204) return undefined as T;
        return (await response.json()) as T;
      }

      const apiError = await toApiError(response, method, path);
      if (apiError.retryable && attempt < maxRetries) {
        const waitMs = response.status === 429 ? rateLimitWaitMs(response) : backoffMs(attempt);
        this.log.warn({ method, path, status: response.status, waitMs }, "PagerDuty request will be retried");
        await sleep(waitMs);
        continue;
      }
      throw apiError;
    }
  }

  /** Fetches every page of a classic offset-paginated list, following `more` to the end. */
  async listAll<T>(path: string, key: string, query: RequestOptions["query"] = {}): Promise<T[]> {
    const items: T[] = [];
    for (let offset = 0; ; ) {
      const page = await this.request<Record<string, unknown>>("GET", path, { query: { ...query, limit: MAX_LIMIT, offset } });
      const pageItems = (page[key] as T[] | undefined) ?? [];
      items.push(...pageItems);
      if (!page.more || pageItems.length === 0) return items;
      offset += pageItems.length;
    }
  }

  getIncident(incidentId: string) {
    return this.request<{ incident: RestIncident }>("GET", `/incidents/${encodeURIComponent(incidentId)}`);
  }

  updateIncident(incidentId: string, changes: Record<string, unknown>, fromEmail: string) {
    return this.request<{ incident: RestIncident }>("PUT", `/incidents/${encodeURIComponent(incidentId)}`, {
      body: { incident: { type: "incident_reference", ...changes } },
      from: fromEmail,
    });
  }

  getUser(userId: string) {
    return this.request<{ user: RestUser }>("GET", `/users/${encodeURIComponent(userId)}`, { query: { "include[]": ["teams"] } });
  }

  getService(serviceId: string) {
    return this.request<{ service: RestService }>("GET", `/services/${encodeURIComponent(serviceId)}`, { query: { "include[]": ["teams"] } });
  }
}

export interface RestReference {
  id: string;
  type?: string;
  summary?: string | null;
  html_url?: string | null;
}

export interface RestIncident {
  id: string;
  type: string;
  /** The REST API names it incident_number; webhook data names the same field number. */
  incident_number: number;
  title: string;
  status: "triggered" | "acknowledged" | "resolved";
  urgency: string;
  html_url: string;
  service: RestReference;
  assignments?: { at?: string; assignee: RestReference }[];
  escalation_policy?: RestReference | null;
  teams?: RestReference[];
  priority?: RestReference | null;
  created_at?: string;
  updated_at?: string;
  last_status_change_at?: string;
}

export interface RestUser {
  id: string;
  name: string;
  email: string;
  role: string;
  time_zone?: string;
  teams?: RestReference[];
}

export interface RestService {
  id: string;
  name: string;
  teams?: RestReference[];
  escalation_policy?: RestReference;
}

async function toApiError(response: Response, method: string, path: string): Promise<PagerDutyApiError> {
  let code: number | null = null;
  let message = `PagerDuty responded ${response.status} to ${method} ${path}`;
  let errors: string[] = [];
  try {
    const parsed = errorBodySchema.safeParse(await response.json());
    if (parsed.success) {
      code = parsed.data.error.code ?? null;
      if (parsed.data.error.message) message = parsed.data.error.message;
      errors = parsed.data.error.errors ?? [];
    }
  } catch {
    // A body that is not JSON keeps the generic message.
  }
  return new PagerDutyApiError(response.status, code, message, errors);
}

function rateLimitWaitMs(response: Response): number {
  const reset = Number(response.headers.get("ratelimit-reset") ?? response.headers.get("retry-after"));
  return Number.isFinite(reset) && reset > 0 ? Math.min(reset, 60) * 1000 : 1000;
}

function backoffMs(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 4000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
