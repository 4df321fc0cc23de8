import type { z } from "zod";
import type { FakePagerDutyApp } from "./app";
import { invalidInput } from "./errors";
import type { QueryParams } from "./http";
import type { Actor } from "./incidents";

/** One REST call after authentication, with the From user resolved for the routes that need one. */
export interface RestCall {
  app: FakePagerDutyApp;
  params: Record<string, string>;
  query: QueryParams;
  body: unknown;
  /** The From user; set only on routes with `requiresFrom`. */
  actor: Actor | null;
}

export interface RestResult {
  status: number;
  body?: unknown;
}

export interface RestRoute {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** A path with `:name` segments, e.g. "/incidents/:id/notes". */
  path: string;
  /** Whether the call needs a From header naming a user, as PagerDuty requires on incident writes. */
  requiresFrom?: boolean;
  handle(call: RestCall): RestResult;
}

export function matchRoute<R extends { method: string; path: string }>(routes: readonly R[], method: string, path: string): { route: R; params: Record<string, string> } | null {
  const segments = path.split("/").filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split("/").filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matched = pattern.every((part, index) => {
      const segment = segments[index] ?? "";
      if (part.startsWith(":")) {
        params[part.slice(1)] = decodeURIComponent(segment);
        return true;
      }
      return part === segment;
    });
    if (matched) return { route, params };
  }
  return null;
}

/** Validates a request body, turning every zod issue into one line of PagerDuty's `errors`. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw invalidInput(...result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`));
}

/** Reads repeated `include[]` values. */
export function includesOf(query: QueryParams): Set<string> {
  return new Set(query.getAll("include"));
}

/** Case-insensitive substring match for the `query` filter of list endpoints. */
export function matchesQuery(query: string | undefined, ...values: string[]): boolean {
  if (!query) return true;
  const needle = query.toLowerCase();
  return values.some((value) => value.toLowerCase().includes(needle));
}
