import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { z } from "zod";
import { appEndpoints } from "./app-client";
import type { ServerContext, SigningKey } from "./context";
import { handleControl } from "./control";
import { BodyTooLargeError, readBody, sendJson, sendText } from "./http";
import { InteractionError } from "./interactions/common";
import { SLACK_EVENT_RETRY_DELAYS_MS, cancelEventRetries } from "./interactions/events";
import { isResponseUrlPath, postToResponseUrl } from "./interactions/response-url";
import { handleAuthorizeDecision, handleAuthorizePage } from "./page/oauth-pages";
import { handleClientApi, handleClientPage, handleClientState, handleRoot } from "./page/routes";
import { RateLimiter } from "./rate-limits";
import { SlackState } from "./state";
import { handleWebApiRequest } from "./web-api/index";
import { openidConfiguration } from "./web-api/oauth";
import { displayName } from "./workspace";

export interface FakeSlackOptions {
  /** Interface to listen on; only loopback addresses are accepted. Default "127.0.0.1". */
  host?: string;
  /** Port to listen on; 0 picks a free port. Default 0. */
  port?: number;
  /** Switchboard's base URL; interactivity, events and slash commands are sent to paths under it. */
  appUrl: string;
  /** Signs every request sent to the app (X-Slack-Signature). */
  signingSecret: string;
  /** The xoxb- token accepted for the seeded workspace. */
  botToken: string;
  /** OAuth client id and secret for oauth.v2.access and Sign in with Slack. */
  clientId?: string;
  clientSecret?: string;
  logger?: pino.Logger;
  /** Starts with chat.postMessage limited per channel, as Slack does (about 1 per second). */
  enforceRateLimits?: boolean;
  /** The deprecated verification token sent in payloads' `token` field. */
  verificationToken?: string;
  /** Slash commands the app registers; typing another one shows Slack's "not a valid command". */
  slashCommands?: string[];
  /** Delays of the three event retries after a failed delivery; Slack's are about 1 s, 1 min, 5 min. */
  eventRetryDelaysMs?: number[];
  /** The clock in milliseconds since the epoch; tests pass their own to expire trigger_ids and codes. */
  now?: () => number;
}

export interface FakeSlack {
  /** The fake's origin, e.g. "http://127.0.0.1:41234". */
  url: string;
  /** The Web API base for `new WebClient(token, { slackApiUrl })`, with its trailing slash. */
  apiUrl: string;
  close(): Promise<void>;
}

/** Defaults for the OAuth client of the sandbox app, used when the options name none. */
export const SANDBOX_CLIENT_ID = "1000000000001.1000000000001";
export const SANDBOX_CLIENT_SECRET = "sandbox-client-secret";
export const SANDBOX_VERIFICATION_TOKEN = "sandbox-verification-token";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

const optionsSchema = z.object({
  host: z.string().refine((host) => LOOPBACK_HOSTS.has(host), "host must be a loopback address: 127.0.0.1, localhost or ::1").default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(0),
  appUrl: z.url({ protocol: /^https?$/ }),
  signingSecret: z.string().min(1, "signingSecret is required: it signs every request sent to the app"),
  botToken: z.string().startsWith("xoxb-", "botToken must be a bot token starting with xoxb-"),
  clientId: z.string().min(1).default(SANDBOX_CLIENT_ID),
  clientSecret: z.string().min(1).default(SANDBOX_CLIENT_SECRET),
  enforceRateLimits: z.boolean().default(false),
  verificationToken: z.string().min(1).default(SANDBOX_VERIFICATION_TOKEN),
  slashCommands: z.array(z.string().startsWith("/")).default(["/pd"]),
  eventRetryDelaysMs: z.array(z.number().int().min(0)).max(3).default(SLACK_EVENT_RETRY_DELAYS_MS),
});

function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } };
}

/** Draws a small avatar with the user's initials, so avatar URLs in API objects resolve on this machine. */
function avatarSvg(userId: string): string {
  const initials = displayName(userId)
    .split(/\s+/)
    .map((word) => word[0] ?? "")
    .join("")
    .slice(0, 2)
    .replace(/[^A-Za-z0-9]/g, "");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="72" height="72" viewBox="0 0 72 72"><rect width="72" height="72" rx="8" fill="#4a154b"/><text x="36" y="45" font-family="sans-serif" font-size="28" fill="#fff" text-anchor="middle">${initials || "?"}</text></svg>`;
}

async function route(server: ServerContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", server.origin);
  const path = url.pathname;
  const method = request.method ?? "GET";

  const apiMatch = /^\/api\/([A-Za-z0-9._]+)$/.exec(path);
  if (apiMatch?.[1]) {
    if (method !== "POST" && method !== "GET") return sendJson(response, 405, { ok: false, error: "method_not_allowed" }, { Allow: "GET, POST" });
    return handleWebApiRequest(server, request, response, url, apiMatch[1]);
  }
  if (path.startsWith("/_sandbox/")) return handleControl(server, request, response, url);
  if (isResponseUrlPath(path) && method === "POST") {
    const outcome = postToResponseUrl(server, path, (await readBody(request)).toString("utf8"));
    return sendJson(response, outcome.status, outcome.body);
  }
  if (path === "/" && method === "GET") return handleRoot(server, response);

  const clientApi = /^\/client\/api\/([a-z-]+)$/.exec(path);
  if (clientApi?.[1] && method === "POST") return handleClientApi(server, request, response, clientApi[1]);
  const clientState = /^\/client\/([^/]+)\/state$/.exec(path);
  if (clientState?.[1] && method === "GET") return handleClientState(server, response, url, decodeURIComponent(clientState[1]));
  const clientPage = /^\/client\/([^/]+)$/.exec(path);
  if (clientPage?.[1] && method === "GET") return handleClientPage(server, response, url, decodeURIComponent(clientPage[1]));

  if (path === "/oauth/v2/authorize") {
    if (method === "GET") return handleAuthorizePage(server, response, url, "oauth");
    if (method === "POST") return handleAuthorizeDecision(server, request, response, "oauth");
  }
  if (path === "/openid/connect/authorize") {
    if (method === "GET") return handleAuthorizePage(server, response, url, "openid");
    if (method === "POST") return handleAuthorizeDecision(server, request, response, "openid");
  }
  if (path === "/openid/connect/keys" && method === "GET") return sendJson(response, 200, { keys: [server.openidKey.publicJwk] });
  if (path === "/.well-known/openid-configuration" && method === "GET") return sendJson(response, 200, openidConfiguration(server.origin));

  const avatar = /^\/avatars\/([A-Z0-9]+)\.svg$/.exec(path);
  if (avatar?.[1] && method === "GET") return sendText(response, 200, avatarSvg(avatar[1]), "image/svg+xml");

  sendJson(response, 404, { ok: false, error: "not_found", message: `No route for ${method} ${path}.` });
}

/**
 * Starts the fake Slack: Web API under /api/, the Slack-like page under /client/, OAuth pages,
 * response URLs and the /_sandbox/ control API. State lives in memory until close().
 */
export async function startFakeSlack(options: FakeSlackOptions): Promise<FakeSlack> {
  const { logger: givenLogger, now, ...rest } = options;
  const parsed = optionsSchema.safeParse(rest);
  if (!parsed.success) throw new Error(`Invalid fake Slack options: ${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const logger = (givenLogger ?? pino({ level: process.env.LOG_LEVEL ?? "info" })).child({ scope: "fake-slack" });
  const nowMs = now ?? Date.now;

  const context: ServerContext = {
    state: new SlackState(config.botToken, nowMs),
    rateLimiter: new RateLimiter(config.enforceRateLimits, nowMs),
    origin: "",
    endpoints: appEndpoints(config.appUrl),
    appUrl: config.appUrl,
    signingSecret: config.signingSecret,
    verificationToken: config.verificationToken,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    logger,
    nowMs,
    pagination: { maxPageSize: null, emptyPages: 0 },
    slashCommands: config.slashCommands,
    openidKey: createSigningKey(),
    eventRetryDelaysMs: config.eventRetryDelaysMs,
    timers: new Set(),
  };

  const httpServer = createServer((request, response) => {
    route(context, request, response).catch((error: unknown) => {
      if (error instanceof InteractionError) {
        sendJson(response, error.status, { ok: false, error: error.code, message: error.message });
        return;
      }
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, { ok: false, error: "request_too_large", message: error.message });
        return;
      }
      logger.error({ err: error, method: request.method, url: request.url }, "request to the fake Slack failed");
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: "internal_error" });
      else response.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  context.origin = `http://${host}:${address.port}`;
  logger.info({ url: context.origin, appUrl: config.appUrl }, "fake Slack listening");

  return {
    url: context.origin,
    apiUrl: `${context.origin}/api/`,
    close: async () => {
      cancelEventRetries(context);
      await new Promise<void>((resolve, reject) => {
        httpServer.close((error) => (error ? reject(error) : resolve()));
        httpServer.closeAllConnections();
      });
      logger.info({ url: context.origin }, "fake Slack stopped");
    },
  };
}
