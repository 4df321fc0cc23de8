import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerContext } from "../context";
import { mediaType, parseJsonObject, readBody, sendJson } from "../http";
import type { JsonObject, TokenInfo } from "../state";
import { chatPostEphemeral, chatPostMessage, chatUpdate } from "./chat";
import {
  conversationsArchive,
  conversationsCreate,
  conversationsInfo,
  conversationsInvite,
  conversationsJoin,
  conversationsList,
  conversationsMembers,
} from "./conversations";
import { Args, SlackApiError, type MethodDefinition } from "./core";
import { oauthV2Access, openidConnectToken, openidConnectUserInfo } from "./oauth";
import { authTest, teamInfo, usersInfo, usersLookupByEmail } from "./users";
import { viewsOpen, viewsPush, viewsUpdate } from "./views";

/**
 * The Web API methods the fake implements. `acceptsJson` follows the method catalog's
 * json_input_supported: for the others Slack ignores a JSON body, and so does the fake.
 */
export const METHODS: Record<string, MethodDefinition> = {
  "auth.test": { handler: authTest, acceptsJson: true, auth: "bot" },
  "chat.postMessage": { handler: chatPostMessage, acceptsJson: true, auth: "bot" },
  "chat.update": { handler: chatUpdate, acceptsJson: true, auth: "bot" },
  "chat.postEphemeral": { handler: chatPostEphemeral, acceptsJson: true, auth: "bot" },
  "users.info": { handler: usersInfo, acceptsJson: false, auth: "bot" },
  "users.lookupByEmail": { handler: usersLookupByEmail, acceptsJson: false, auth: "bot" },
  "conversations.info": { handler: conversationsInfo, acceptsJson: false, auth: "bot" },
  "conversations.list": { handler: conversationsList, acceptsJson: false, auth: "bot" },
  "conversations.members": { handler: conversationsMembers, acceptsJson: false, auth: "bot" },
  "conversations.create": { handler: conversationsCreate, acceptsJson: true, auth: "bot" },
  "conversations.invite": { handler: conversationsInvite, acceptsJson: true, auth: "bot" },
  "conversations.join": { handler: conversationsJoin, acceptsJson: true, auth: "bot" },
  "conversations.archive": { handler: conversationsArchive, acceptsJson: true, auth: "bot" },
  "views.open": { handler: viewsOpen, acceptsJson: true, auth: "bot" },
  "views.push": { handler: viewsPush, acceptsJson: true, auth: "bot" },
  "views.update": { handler: viewsUpdate, acceptsJson: true, auth: "bot" },
  "team.info": { handler: teamInfo, acceptsJson: true, auth: "bot" },
  "oauth.v2.access": { handler: oauthV2Access, acceptsJson: false, auth: "client" },
  "openid.connect.token": { handler: openidConnectToken, acceptsJson: false, auth: "client" },
  "openid.connect.userInfo": { handler: openidConnectUserInfo, acceptsJson: false, auth: "user" },
};

/** Argument names whose values never go into the call log. */
const SECRET_ARGS = ["token", "client_secret"];

interface ParsedRequest {
  args: Record<string, unknown>;
  bearer?: string;
  basicAuth?: { clientId: string; clientSecret: string };
  /** A body-level error Slack reports before looking at the method (invalid_json, json_not_object). */
  bodyError?: string;
}

async function parseRequest(request: IncomingMessage, url: URL, acceptsJson: boolean): Promise<ParsedRequest> {
  const body = await readBody(request);
  const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = mediaType(request);
  const parsed: ParsedRequest = { args };

  if (type === "application/json") {
    const json = parseJsonObject(body);
    if (json === null) {
      parsed.bodyError = isJsonText(body) ? "json_not_object" : "invalid_json";
    } else if (acceptsJson) {
      // Slack reads the token of a JSON request only from the Authorization header.
      const { token: _ignored, ...rest } = json;
      Object.assign(args, rest);
    }
  } else if (body.length > 0) {
    Object.assign(args, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
  }

  const authorization = request.headers.authorization ?? "";
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim();
  if (bearer) parsed.bearer = bearer;
  const basic = /^Basic\s+(.+)$/i.exec(authorization)?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const separator = decoded.indexOf(":");
    if (separator > 0) {
      parsed.basicAuth = { clientId: decodeURIComponent(decoded.slice(0, separator)), clientSecret: decodeURIComponent(decoded.slice(separator + 1)) };
    }
  }
  return parsed;
}

function isJsonText(body: Buffer): boolean {
  try {
    JSON.parse(body.toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

function authenticate(server: ServerContext, definition: MethodDefinition, parsed: ParsedRequest): TokenInfo {
  const token = parsed.bearer ?? (typeof parsed.args.token === "string" ? parsed.args.token : undefined);
  if (!token) throw new SlackApiError("not_authed");
  const info = server.state.tokens.get(token);
  if (!info) throw new SlackApiError("invalid_auth");
  if (info.revoked) throw new SlackApiError("token_revoked");
  if (definition.auth === "user" && info.kind !== "user") throw new SlackApiError("not_allowed_token_type");
  return info;
}

function loggedArgs(args: Record<string, unknown>): JsonObject {
  const copy: JsonObject = { ...args };
  for (const name of SECRET_ARGS) delete copy[name];
  return copy;
}

/** Returns the channel a call is about, for the per-channel rate limit. */
function rateLimitChannel(server: ServerContext, args: Record<string, unknown>): string | undefined {
  const channel = typeof args.channel === "string" ? args.channel : undefined;
  return channel ? (server.state.findChannel(channel)?.id ?? channel) : undefined;
}

// GET|POST /api/<method>: one Web API call, with Slack's responses (HTTP 200 with ok true or false).
export async function handleWebApiRequest(server: ServerContext, request: IncomingMessage, response: ServerResponse, url: URL, method: string): Promise<void> {
  const definition = METHODS[method];
  const parsed = await parseRequest(request, url, definition?.acceptsJson ?? true);
  const time = new Date(server.nowMs()).toISOString();

  const finish = (status: number, body: JsonObject, headers: Record<string, string> = {}): void => {
    server.state.calls.push({ method, args: loggedArgs(parsed.args), time, status, response: body });
    sendJson(response, status, body, headers);
  };

  if (!definition) return finish(200, { ok: false, error: "unknown_method" });
  if (parsed.bodyError) return finish(200, { ok: false, error: parsed.bodyError });
  if (mediaType(request) === "application/json" && !definition.acceptsJson) {
    server.logger.warn({ method }, "JSON body ignored: this method reads only query and form arguments");
  }

  let token: TokenInfo | undefined;
  try {
    if (definition.auth !== "client") token = authenticate(server, definition, parsed);
  } catch (error) {
    if (error instanceof SlackApiError) return finish(200, { ok: false, error: error.code });
    throw error;
  }

  const decision = server.rateLimiter.check(method, rateLimitChannel(server, parsed.args));
  if (decision.limited) {
    return finish(429, { ok: false, error: "ratelimited" }, { "Retry-After": String(decision.retryAfter) });
  }

  const scopeHeaders: Record<string, string> = token ? { "X-OAuth-Scopes": token.scopes.join(",") } : {};
  try {
    const result = await definition.handler({
      server,
      args: new Args(parsed.args),
      ...(token ? { token } : {}),
      ...(parsed.basicAuth ? { basicAuth: parsed.basicAuth } : {}),
    });
    finish(200, result, scopeHeaders);
  } catch (error) {
    if (error instanceof SlackApiError) return finish(200, { ok: false, error: error.code, ...error.extra }, scopeHeaders);
    server.logger.error({ err: error, method }, "Web API method failed");
    finish(500, { ok: false, error: "fatal_error" });
  }
}
