import { getEnv } from "@/lib/config/env";
import { getPool } from "@/lib/db/client";
import { jsonError, readRawBodyOrReject } from "@/lib/http/raw-body";
import { scopedLogger } from "@/lib/log";
import { receiveSlackCommand } from "@/lib/slack/commands/receive-command";

export const dynamic = "force-dynamic";

const log = scopedLogger("slack-commands");

// POST /api/slack/commands: the request URL of the /pd slash command.
export async function POST(request: Request): Promise<Response> {
  const rawBody = await readRawBodyOrReject(request);
  if (rawBody instanceof Response) return rawBody;
  const result = await receiveSlackCommand({
    rawBody,
    timestampHeader: request.headers.get("x-slack-request-timestamp"),
    signatureHeader: request.headers.get("x-slack-signature"),
    signingSecret: getEnv().slackSigningSecret,
    pool: getPool(),
    log,
  });
  if (result.status !== 200) return jsonError(result.status, result.code, result.message);
  if (result.body) return Response.json(result.body, { status: 200 });
  return new Response(null, { status: 200 });
}
