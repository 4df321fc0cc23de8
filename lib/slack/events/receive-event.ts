import type { Pool } from "pg";
import type { Logger } from "pino";
import { storeInboundEvent } from "../../inbox/store";
import { TASKS } from "../../queue/jobs";
import { rejectUnverifiedSlackRequest } from "../verify-request";
import { anyEventBodySchema, eventCallbackSchema, urlVerificationSchema } from "./envelope";
import { isHandledSlackEvent } from "./process-event";

export type SlackEventReceipt =
  | { status: 200; outcome: "challenge"; challenge: string }
  | { status: 200; outcome: "queued" | "stored_ignored" | "duplicate" | "not_stored" }
  /** noRetry: a retry of the same body would fail the same way, so the response asks Slack not to retry. */
  | { status: 400 | 401; code: string; message: string; noRetry: boolean };

/** How often a stored event's job is tried before the event is recorded as failed. */
const EVENT_MAX_ATTEMPTS = 5;

/**
 * Verifies one request to the Events API URL and stores it before it is acknowledged. The
 * url_verification handshake gets its challenge back. An event_callback is stored in the inbox
 * under its event_id and, for the types Switchboard handles, queued. A retry
 * (X-Slack-Retry-Num) of a stored event_id is acknowledged without being stored or queued again.
 */
export async function receiveSlackEvent(input: {
  rawBody: Buffer;
  timestampHeader: string | null;
  signatureHeader: string | null;
  retryNumHeader: string | null;
  retryReasonHeader: string | null;
  signingSecret: string | undefined;
  pool: Pool;
  log: Logger;
  nowSeconds?: number;
}): Promise<SlackEventReceipt> {
  const { log } = input;
  const rejection = rejectUnverifiedSlackRequest(
    {
      signingSecret: input.signingSecret,
      rawBody: input.rawBody,
      timestampHeader: input.timestampHeader,
      signatureHeader: input.signatureHeader,
      nowSeconds: input.nowSeconds,
    },
    log,
    "event",
  );
  if (rejection) return { ...rejection, noRetry: false };

  const text = input.rawBody.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: 400, code: "invalid_json", message: "The body is not valid JSON.", noRetry: true };
  }
  const body = anyEventBodySchema.safeParse(json);
  if (!body.success) return { status: 400, code: "invalid_body", message: "The body has no `type`.", noRetry: true };

  if (body.data.type === "url_verification") {
    const handshake = urlVerificationSchema.safeParse(json);
    if (!handshake.success) return { status: 400, code: "invalid_body", message: "url_verification has no `challenge`.", noRetry: true };
    return { status: 200, outcome: "challenge", challenge: handshake.data.challenge };
  }
  if (body.data.type !== "event_callback") {
    // For example app_rate_limited: Slack stops sending events for a minute. Nothing to store or do.
    log.warn({ type: body.data.type, teamId: body.data.team_id }, "Slack sent a request that is not an event");
    return { status: 200, outcome: "not_stored" };
  }

  const parsed = eventCallbackSchema.safeParse(json);
  if (!parsed.success) return { status: 400, code: "invalid_body", message: "The event_callback has no event_id, team_id, event_time or event.type.", noRetry: true };
  const envelope = parsed.data;
  const handled = isHandledSlackEvent(envelope.event.type);
  const { stored } = await storeInboundEvent(input.pool, {
    source: "slack_event",
    externalId: envelope.event_id,
    eventType: envelope.event.type,
    rawBody: text,
    // Events of one workspace are applied in the order they arrived (tokens_revoked, then app_uninstalled).
    job: handled ? { task: TASKS.processSlackEvent, queueName: `slack-events-${envelope.team_id}`, maxAttempts: EVENT_MAX_ATTEMPTS } : undefined,
  });
  if (input.retryNumHeader) {
    log.info({ eventId: envelope.event_id, retryNum: input.retryNumHeader, retryReason: input.retryReasonHeader, stored }, "Slack retried an event");
  }
  if (!stored) return { status: 200, outcome: "duplicate" };
  return { status: 200, outcome: handled ? "queued" : "stored_ignored" };
}
