import type { IncomingMessage, ServerResponse } from "node:http";
import { FakeApiError, invalidInput } from "./errors";

/** Request bodies above this size get 413; PagerDuty's own payloads are far smaller. */
const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new FakeApiError(413, null, "Request Entity Too Large", [`The request body exceeds ${MAX_BODY_BYTES} bytes`]);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204 || body === undefined) {
    response.writeHead(status, { "Cache-Control": "no-store", ...headers });
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...headers,
  });
  response.end(text);
}

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
    "Cache-Control": "no-store",
    // The pages load nothing from other hosts and post their forms only to this server.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
  });
  response.end(html);
}

export function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { Location: location, "Content-Length": 0, "Cache-Control": "no-store" });
  response.end();
}

export function mediaType(request: IncomingMessage): string {
  return (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Tells a browser's request for a page from an API client's request for JSON. */
export function wantsHtml(request: IncomingMessage): boolean {
  return request.method === "GET" && !request.headers.authorization && (request.headers.accept ?? "").includes("text/html");
}

/**
 * Query parameters as PagerDuty reads them: arrays come as repeated `key[]=` (a plain repeated
 * `key=` is accepted too), and booleans as "true"/"false".
 */
export class QueryParams {
  constructor(private readonly params: URLSearchParams) {}

  get(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  getAll(name: string): string[] {
    return [...this.params.getAll(`${name}[]`), ...this.params.getAll(name)].filter((value) => value !== "");
  }

  getBoolean(name: string): boolean {
    return this.params.get(name) === "true";
  }

  toObject(): Record<string, string | string[]> {
    const result: Record<string, string | string[]> = {};
    for (const key of new Set(this.params.keys())) {
      const values = this.params.getAll(key);
      result[key] = values.length === 1 ? (values[0] ?? "") : values;
    }
    return result;
  }
}

export interface PageRequest {
  limit: number;
  offset: number;
  total: boolean;
}

/** The maximum `limit`; larger values are lowered to it, and the response echoes the value used. */
const MAX_LIMIT = 100;
/** Classic pagination reaches at most this many records: `offset + limit` must not exceed it. */
const MAX_RECORDS = 10_000;

/** Reads `limit`, `offset` and `total` as PagerDuty's classic pagination does. */
export function parsePageRequest(query: QueryParams, defaultLimit = 25): PageRequest {
  const limit = parseNonNegativeInteger(query.get("limit"), "limit") ?? defaultLimit;
  const offset = parseNonNegativeInteger(query.get("offset"), "offset") ?? 0;
  const effectiveLimit = Math.min(Math.max(limit, 1), MAX_LIMIT);
  if (offset + effectiveLimit > MAX_RECORDS) {
    throw invalidInput(`offset + limit must not exceed ${MAX_RECORDS}; got offset ${offset} and limit ${effectiveLimit}. Narrow the query with filters instead.`);
  }
  return { limit: effectiveLimit, offset, total: query.getBoolean("total") };
}

function parseNonNegativeInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value)) throw invalidInput(`${name} must be a non-negative integer; got "${value}"`);
  return Number(value);
}

export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  more: boolean;
  total: number | null;
}

export function paginate<T>(items: readonly T[], request: PageRequest): Page<T> {
  return {
    items: items.slice(request.offset, request.offset + request.limit),
    limit: request.limit,
    offset: request.offset,
    more: request.offset + request.limit < items.length,
    total: request.total ? items.length : null,
  };
}

/** Builds a list response: `{<key>: [...], limit, offset, more, total}`. */
export function pageBody<T, R>(key: string, page: Page<T>, render: (item: T) => R): Record<string, unknown> {
  return { [key]: page.items.map(render), limit: page.limit, offset: page.offset, more: page.more, total: page.total };
}
