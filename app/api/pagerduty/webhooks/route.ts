import { getPool } from "@/lib/db/client";
import { BodyTooLargeError, jsonError, readRawBody } from "@/lib/http/raw-body";
import { scopedLogger } from "@/lib/log";
import { receivePagerDutyWebhook } from "@/lib/pagerduty/receive-webhook";
import { getPagerDutySettings } from "@/lib/settings/pagerduty-settings";

export const dynamic = "force-dynamic";

const log = scopedLogger("pagerduty-webhook");

// POST /api/pagerduty/webhooks: receives PagerDuty V3 webhooks, stores them, and answers at once.
export async function POST(request: Request): Promise<Response> {
  let rawBody: Buffer;
  try {
    rawBody = await readRawBody(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return jsonError(413, "body_too_large", error.message);
    throw error;
  }
  const result = await receivePagerDutyWebhook({
    rawBody,
    signatureHeader: request.headers.get("x-pagerduty-signature"),
    webhookIdHeader: request.headers.get("x-webhook-id"),
    secret: (await getPagerDutySettings()).webhookSecret.value,
    pool: getPool(),
    log,
  });
  if (result.status !== 202) return jsonError(result.status, result.code, result.message);
  return Response.json({ status: result.outcome, event_id: result.eventId }, { status: 202 });
}
