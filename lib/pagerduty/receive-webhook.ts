import type { Pool } from "pg";
import type { Logger } from "pino";
import { storeInboundEvent } from "../inbox/store";
import { PAGERDUTY_EVENTS_QUEUE, TASKS } from "../queue/jobs";
import { verifyPagerDutySignature } from "./verify-signature";
import { isHandledEventType, webhookEnvelopeSchema } from "./webhook-event";

export type WebhookResult =
  | { status: 202; outcome: "queued" | "duplicate" | "ignored"; eventId: string; eventType: string }
  | { status: 400 | 401; code: string; message: string };

/**
 * Verifies and stores one PagerDuty V3 webhook delivery. Nothing is stored unless the signature
 * verifies. A handled incident event is queued for processing in the same statement that stores
 * it; any other well-formed event is stored as ignored and still acknowledged, because PagerDuty
 * drops a delivery that gets a 4xx response and disables a subscription after three.
 */
export async function receivePagerDutyWebhook(input: {
  rawBody: Buffer;
  signatureHeader: string | null;
  webhookIdHeader: string | null;
  secret: string | undefined;
  pool: Pool;
  log: Logger;
}): Promise<WebhookResult> {
  const { log } = input;
  const verification = verifyPagerDutySignature({ secret: input.secret, rawBody: input.rawBody, signatureHeader: input.signatureHeader });
  if (!verification.ok) {
    if (verification.reason === "missing_secret") {
      log.error("PagerDuty webhook rejected: PAGERDUTY_WEBHOOK_SECRET is not set, so no webhook can be verified");
      return { status: 401, code: "webhook_secret_not_configured", message: "Switchboard has no PagerDuty webhook secret configured, so it accepts no webhooks." };
    }
    log.warn({ reason: verification.reason, webhookId: input.webhookIdHeader }, "PagerDuty webhook rejected: signature did not verify");
    return { status: 401, code: "invalid_signature", message: `X-PagerDuty-Signature did not verify (${verification.reason}).` };
  }

  const text = input.rawBody.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: 400, code: "invalid_json", message: "The request body is not valid JSON." };
  }
  const parsed = webhookEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "body";
    const message =
      issue?.path[0] === "event" && issue.path.length === 1
        ? "The body has no `event` object; expected a PagerDuty V3 webhook envelope {\"event\": {...}}."
        : `Invalid webhook envelope at ${where}: ${issue?.message ?? "unexpected shape"}.`;
    return { status: 400, code: "invalid_envelope", message };
  }

  const { event } = parsed.data;
  const handled = isHandledEventType(event.event_type);
  const { stored } = await storeInboundEvent(input.pool, {
    source: "pagerduty_webhook",
    externalId: event.id,
    deliveryId: input.webhookIdHeader,
    eventType: event.event_type,
    rawBody: text,
    job: handled ? { task: TASKS.processPagerDutyEvent, queueName: PAGERDUTY_EVENTS_QUEUE, coalesce: true } : undefined,
  });
  let outcome: "queued" | "duplicate" | "ignored" = handled ? "queued" : "ignored";
  if (!stored) outcome = "duplicate";
  log.info({ eventId: event.id, eventType: event.event_type, webhookId: input.webhookIdHeader, outcome }, "PagerDuty webhook accepted");
  return { status: 202, outcome, eventId: event.id, eventType: event.event_type };
}
