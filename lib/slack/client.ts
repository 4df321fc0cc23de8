import { WebClient, LogLevel, ErrorCode, type WebAPICallError } from "@slack/web-api";
import { decryptSecret } from "../crypto/secret-box";
import { getEnv } from "../config/env";
import { requireEncryptionKey } from "../crypto/keys";

const clients = new Map<string, { token: string; client: WebClient }>();

/** What a workspace row needs to talk to Slack as its bot. */
export interface WorkspaceCredentials {
  id: string;
  botTokenEncrypted: string;
}

/**
 * A WebClient for a workspace's bot, cached per workspace. A 429 is waited out inside the call
 * (Slack's Retry-After is honoured by the client); network errors and 5xx are retried twice here,
 * then the job queue retries the whole job with backoff.
 */
export function slackClientFor(workspace: WorkspaceCredentials): WebClient {
  const token = decryptSecret(workspace.botTokenEncrypted, requireEncryptionKey());
  const cached = clients.get(workspace.id);
  if (cached && cached.token === token) return cached.client;
  const client = createSlackClient(token);
  clients.set(workspace.id, { token, client });
  return client;
}

export function createSlackClient(token?: string): WebClient {
  return new WebClient(token, {
    slackApiUrl: getEnv().slackApiUrl,
    logLevel: LogLevel.ERROR,
    timeout: 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    rejectRateLimitedCalls: false,
  });
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
