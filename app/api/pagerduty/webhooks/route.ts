import { getPool } from "@/lib/db/client";
import { jsonError, readRawBodyOrReject } from "@/lib/http/raw-body";
import { scopedLogger } from "@/lib/log";
import { receivePagerDutyWebhook } from "@/lib/pagerduty/receive-webhook";
import { getPagerDutySettings } from "@/lib/settings/pagerduty-settings";

export const dynamic = "force-dynamic";

const log = scopedLogger("pagerduty-webhook");

// POST /api/pagerduty/webhooks: receives PagerDuty V3 webhooks, stores them, and responds at once.
export async function POST(request: Request): Promise<Response> {
  const rawBody = await readRawBodyOrReject(request);
  if (rawBody instanceof Response) return rawBody;
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
