import { INSERT_FLOOR_EVENT_SQL, isPagerDutyRequestValid, pagerDutyEventId } from "../../../../ack-core.mjs";
import { getPool } from "../../db.js";

export const dynamic = "force-dynamic";

// POST /api/pagerduty: verify the PagerDuty signature over the raw body, store it, respond 202.
export async function POST(request) {
  const rawBody = Buffer.from(await request.arrayBuffer());
  if (!isPagerDutyRequestValid(process.env.PAGERDUTY_WEBHOOK_SECRET, request.headers.get("x-pagerduty-signature"), rawBody)) {
    return new Response(null, { status: 401 });
  }
  const text = rawBody.toString("utf8");
  const eventId = pagerDutyEventId(text);
  if (!eventId) return new Response(null, { status: 400 });
  await getPool().query({ ...INSERT_FLOOR_EVENT_SQL, values: ["next-pagerduty", eventId, text] });
  return new Response(null, { status: 202 });
}
