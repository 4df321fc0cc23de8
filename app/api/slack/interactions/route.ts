import { getEnv } from "@/lib/config/env";
import { getPool } from "@/lib/db/client";
import { jsonError, readRawBodyOrReject } from "@/lib/http/raw-body";
import { scopedLogger } from "@/lib/log";
import { receiveSlackInteraction } from "@/lib/slack/receive-interaction";

export const dynamic = "force-dynamic";

const log = scopedLogger("slack-interactions");

// POST /api/slack/interactions: Slack's interactivity request URL (buttons, menus, modals).
export async function POST(request: Request): Promise<Response> {
  const rawBody = await readRawBodyOrReject(request);
  if (rawBody instanceof Response) return rawBody;
  const result = await receiveSlackInteraction({
    rawBody,
    timestampHeader: request.headers.get("x-slack-request-timestamp"),
    signatureHeader: request.headers.get("x-slack-signature"),
    signingSecret: getEnv().slackSigningSecret,
    pool: getPool(),
    log,
  });
  if (result.status !== 200) return jsonError(result.status, result.code, result.message);
  if (result.outcome === "rejected_input") return Response.json(result.body, { status: 200 });
  return new Response(null, { status: 200 });
}
