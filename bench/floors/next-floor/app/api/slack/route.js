import { INSERT_FLOOR_EVENT_SQL, isSlackRequestValid, slackTriggerId } from "../../../../ack-core.mjs";
import { getPool } from "../../db.js";

export const dynamic = "force-dynamic";

// POST /api/slack: verify the Slack signature over the raw body, store it in one INSERT, respond 200.
export async function POST(request) {
  const rawBody = Buffer.from(await request.arrayBuffer());
  const valid = isSlackRequestValid(
    process.env.SLACK_SIGNING_SECRET,
    request.headers.get("x-slack-request-timestamp"),
    request.headers.get("x-slack-signature"),
    rawBody,
  );
  if (!valid) return new Response(null, { status: 401 });
  const text = rawBody.toString("utf8");
  const triggerId = slackTriggerId(text);
  if (!triggerId) return new Response(null, { status: 400 });
  await getPool().query({ ...INSERT_FLOOR_EVENT_SQL, values: ["next-slack", triggerId, text] });
  return new Response(null, { status: 200 });
}
