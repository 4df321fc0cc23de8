import { WebClient, LogLevel, ErrorCode, type WebAPICallError } from "@slack/web-api";
import type { Logger } from "pino";
import { decryptSecret } from "../crypto/secret-box";
import { getEnv } from "../config/env";
import { requireEncryptionKey } from "../crypto/keys";

type ClientCache = Map<string, { token: string; client: WebClient }>;

const clients: ClientCache = new Map();
const deliveryClients: ClientCache = new Map();

/** The fields of a workspace row needed to call Slack as its bot. */
export interface WorkspaceCredentials {
  id: string;
  botTokenEncrypted: string;
}

function cachedClient(cache: ClientCache, workspace: WorkspaceCredentials, options: { rejectRateLimitedCalls: boolean }): WebClient {
  const token = decryptSecret(workspace.botTokenEncrypted, requireEncryptionKey());
  const cached = cache.get(workspace.id);
  if (cached && cached.token === token) return cached.client;
  const client = createSlackClient(token, options);
  cache.set(workspace.id, { token, client });
  return client;
}

/**
 * Returns the WebClient of a workspace's bot, cached per workspace. The client waits out a 429 for
 * Slack's Retry-After and retries network errors and 5xx twice. After that the job queue retries
 * the whole job with backoff.
 */
export function slackClientFor(workspace: WorkspaceCredentials): WebClient {
  return cachedClient(clients, workspace, { rejectRateLimitedCalls: false });
}

/**
 * Returns the WebClient of the delivery jobs, which post and edit incident messages. It throws on
 * a 429 instead of waiting, because @slack/web-api 8 waits by pausing every call of the client.
 * One busy channel would then stall the whole workspace, although Slack limits chat.postMessage
 * per channel. Wrap its calls in waitOutRateLimits, which waits in the calling job only.
 */
export function deliveryClientFor(workspace: WorkspaceCredentials): WebClient {
  return cachedClient(deliveryClients, workspace, { rejectRateLimitedCalls: true });
}

export function createSlackClient(token?: string, options: { rejectRateLimitedCalls?: boolean } = {}): WebClient {
  return new WebClient(token, {
    slackApiUrl: getEnv().slackApiUrl,
    logLevel: LogLevel.ERROR,
    timeout: 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    rejectRateLimitedCalls: options.rejectRateLimitedCalls ?? false,
  });
}

/** How many 429 responses in a row one delivery call waits out before its job fails and is retried later. */
const MAX_RATE_LIMIT_WAITS = 20;

/**
 * Runs a Web API call, waiting Slack's Retry-After and calling again when Slack responds with 429.
 * Each channel's deliveries run in their own job queue, so the wait holds back that channel only.
 */
export async function waitOutRateLimits<T>(call: () => Promise<T>, context: { log: Logger; method: string; channelId: string }): Promise<T> {
  for (let waits = 0; ; waits++) {
    try {
      return await call();
    } catch (error) {
      const retryAfterSeconds = rateLimitRetryAfter(error);
      if (retryAfterSeconds === undefined || waits >= MAX_RATE_LIMIT_WAITS) throw error;
      context.log.info({ method: context.method, channel: context.channelId, retryAfterSeconds, waits: waits + 1 }, "Slack rate-limited the call; waiting Retry-After");
      await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000));
    }
  }
}

/** Retry-After in seconds of a call that Slack rate-limited, as thrown by a client that rejects 429s. */
function rateLimitRetryAfter(error: unknown): number | undefined {
  const callError = error as Partial<WebAPICallError> & { retryAfter?: unknown };
  if (callError?.code !== ErrorCode.RateLimitedError || typeof callError.retryAfter !== "number") return undefined;
  return Math.max(0, callError.retryAfter);
}

/** Slack errors that no retry can fix: the job records them and stops. */
const PERMANENT_ERRORS = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "invalid_blocks",
  "invalid_blocks_format",
  "msg_too_long",
  "msg_blocks_too_long",
  "no_text",
  "restricted_action",
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
  "missing_scope",
  "team_access_not_granted",
  "user_not_in_channel",
]);

/** The Slack error name (for example "not_in_channel") of a failed Web API call, if it has one. */
export function slackErrorName(error: unknown): string | null {
  const callError = error as Partial<WebAPICallError> & { data?: { error?: string } };
  if (callError?.code === ErrorCode.PlatformError) return callError.data?.error ?? "unknown_error";
  return null;
}

export function isPermanentSlackError(error: unknown): boolean {
  const name = slackErrorName(error);
  return name !== null && PERMANENT_ERRORS.has(name);
}

/** A short description of a failed Slack call for logs and the delivery record. */
export function describeSlackError(error: unknown): string {
  const name = slackErrorName(error);
  if (name) return `Slack returned ${name}`;
  return error instanceof Error ? error.message : String(error);
}
