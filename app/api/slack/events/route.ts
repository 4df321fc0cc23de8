import { getEnv } from "@/lib/config/env";
import { getPool } from "@/lib/db/client";
import { jsonError, readRawBodyOrReject } from "@/lib/http/raw-body";
import { scopedLogger } from "@/lib/log";
import { receiveSlackEvent } from "@/lib/slack/events/receive-event";

export const dynamic = "force-dynamic";

const log = scopedLogger("slack-events");

// POST /api/slack/events: Slack's Events API request URL. Returns the challenge of url_verification,
// and stores every event before acknowledging it. The job queue applies the event afterwards.
export async function POST(request: Request): Promise<Response> {
  const rawBody = await readRawBodyOrReject(request);
  if (rawBody instanceof Response) return rawBody;
  const receipt = await receiveSlackEvent({
    rawBody,
    timestampHeader: request.headers.get("x-slack-request-timestamp"),
    signatureHeader: request.headers.get("x-slack-signature"),
    retryNumHeader: request.headers.get("x-slack-retry-num"),
    retryReasonHeader: request.headers.get("x-slack-retry-reason"),
    signingSecret: getEnv().slackSigningSecret,
    pool: getPool(),
    log,
  });
  if (receipt.status !== 200) {
    const response = jsonError(receipt.status, receipt.code, receipt.message);
    if (receipt.noRetry) response.headers.set("X-Slack-No-Retry", "1");
    return response;
  }
  if (receipt.outcome === "challenge") return Response.json({ challenge: receipt.challenge });
  return new Response(null, { status: 200 });
}
