import type { ServerContext } from "../context";
import type { JsonObject, StoredChannel, TokenInfo } from "../state";
import { BOT } from "../workspace";

/** A Slack application error: HTTP 200 with `{"ok":false,"error":code, ...extra}`. */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: JsonObject = {},
  ) {
    super(code);
  }
}

/**
 * Arguments of one Web API call. Form and query values arrive as strings and JSON bodies as typed
 * values, so the accessors coerce the way Slack does: "true" and "1" are true, numbers may be strings.
 */
export class Args {
  constructor(readonly raw: Record<string, unknown>) {}

  has(name: string): boolean {
    const value = this.raw[name];
    return value !== undefined && value !== null && value !== "";
  }

  string(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
  }

  bool(name: string, fallback = false): boolean {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return fallback;
    if (typeof value === "boolean") return value;
    return value === "true" || value === "1" || value === 1;
  }

  /** Reads an integer argument; returns `invalid` when it is present but not an integer. */
  int(name: string): number | undefined | "invalid" {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return undefined;
    const parsed = typeof value === "number" ? value : Number(value);
    return Number.isInteger(parsed) ? parsed : "invalid";
  }

  /** Reads a JSON argument: parsed from a string (form bodies) or taken as is (JSON bodies). */
  json(name: string): { present: false } | { present: true; ok: true; value: unknown } | { present: true; ok: false } {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return { present: false };
    if (typeof value !== "string") return { present: true, ok: true, value };
    try {
      return { present: true, ok: true, value: JSON.parse(value) as unknown };
    } catch {
      return { present: true, ok: false };
    }
  }
}

export interface MethodCall {
  server: ServerContext;
  args: Args;
  /** The caller's token; absent only for methods that authenticate with client credentials. */
  token?: TokenInfo;
  /** Client id and secret from an HTTP Basic Authorization header (OAuth methods). */
  basicAuth?: { clientId: string; clientSecret: string };
}

export type MethodHandler = (call: MethodCall) => JsonObject | Promise<JsonObject>;

export interface MethodDefinition {
  handler: MethodHandler;
  /** Whether Slack reads a JSON body for this method (the method catalog's json_input_supported). */
  acceptsJson: boolean;
  /** "bot": a bot or user token; "user": user tokens only; "client": client id and secret. */
  auth: "bot" | "user" | "client";
}

/** Resolves a channel the bot may post to, with Slack's errors for the cases it refuses. */
export function channelForBot(call: MethodCall, idOrName: string | undefined, options: { allowNames: boolean }): StoredChannel {
  if (!idOrName) throw new SlackApiError("channel_not_found");
  const channel = options.allowNames ? call.server.state.findChannel(idOrName) : call.server.state.channels.get(idOrName);
  if (!channel) throw new SlackApiError("channel_not_found");
  const botIsMember = channel.memberIds.has(BOT.userId);
  // Slack hides private channels from apps that are not in them.
  if (channel.isPrivate && !botIsMember) throw new SlackApiError("channel_not_found");
  return channel;
}
