import { z } from "zod";
import { validateBlocks, withGeneratedIds } from "../block-kit";
import type { ServerContext } from "../context";
import type { JsonObject, ResponseUrl } from "../state";
import { postEphemeralMessage, NO_FALLBACK_TEXT } from "../web-api/chat";
import { BOT } from "../workspace";

/** A response_url accepts at most five posts within thirty minutes of the interaction. */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

const responseBodySchema = z.object({
  text: z.string().optional(),
  blocks: z.array(z.record(z.string(), z.unknown())).optional(),
  response_type: z.enum(["ephemeral", "in_channel"]).optional(),
  replace_original: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
  delete_original: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
  thread_ts: z.string().optional(),
});

export type ResponseBody = z.infer<typeof responseBodySchema>;

export interface ResponseUrlOutcome {
  status: number;
  body: JsonObject;
}

function flag(value: boolean | "true" | "false" | undefined): boolean {
  return value === true || value === "true";
}

/** Posts, replaces or deletes per the body, as Slack does for a response_url (or an immediate reply). */
export function applyResponse(server: ServerContext, record: ResponseUrl, body: ResponseBody): ResponseUrlOutcome {
  const { state } = server;
  const source = record.source;
  const blocks = body.blocks ? withGeneratedIds(body.blocks) : undefined;
  const targetTs = source.kind === "message" ? source.messageTs : record.lastMessageTs;

  if (flag(body.delete_original)) {
    if (!targetTs || !state.deleteMessage(source.channelId, targetTs)) return { status: 404, body: { ok: false, error: "message_not_found" } };
    return { status: 200, body: { ok: true } };
  }

  if (blocks) {
    const problems = validateBlocks(blocks, "message");
    if (problems.length > 0) return { status: 400, body: { ok: false, error: "invalid_blocks", errors: problems } };
  }
  if (body.text === undefined && (!blocks || blocks.length === 0)) return { status: 400, body: { ok: false, error: "no_text" } };
  const text = body.text ?? NO_FALLBACK_TEXT;

  if (flag(body.replace_original)) {
    const target = targetTs ? state.findMessage(source.channelId, targetTs) : undefined;
    if (!target) return { status: 404, body: { ok: false, error: "message_not_found" } };
    target.text = text;
    if (blocks && blocks.length > 0) target.blocks = blocks;
    else delete target.blocks;
    target.edited = { user: BOT.userId, ts: state.clock.next() };
    state.touch();
    return { status: 200, body: { ok: true } };
  }

  const threadTs = body.thread_ts;
  const posted =
    body.response_type === "in_channel"
      ? state.addMessage({
          channelId: source.channelId,
          authorId: BOT.userId,
          text,
          ...(blocks && blocks.length > 0 ? { blocks } : {}),
          ...(threadTs ? { threadTs } : {}),
          replyBroadcast: false,
        })
      : postEphemeralMessage(state, { channelId: source.channelId, userId: record.userId, authorId: BOT.userId, text, blocks, threadTs });
  record.lastMessageTs = posted.ts;
  return { status: 200, body: { ok: true } };
}

/**
 * Handles a POST to a response_url path: JSON body, five uses within thirty minutes.
 */
export function postToResponseUrl(server: ServerContext, path: string, rawBody: string): ResponseUrlOutcome {
  // NOTE: the status and error names for used-up or expired URLs are this fake's choice; Slack's are not documented.
  const record = server.state.responseUrls.get(path);
  if (!record) return { status: 404, body: { ok: false, error: "invalid_url" } };
  if (server.nowMs() - record.createdMs > RESPONSE_URL_TTL_MS) return { status: 404, body: { ok: false, error: "expired_url" } };
  if (record.uses >= RESPONSE_URL_MAX_USES) return { status: 404, body: { ok: false, error: "used_url" } };

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { status: 400, body: { ok: false, error: "invalid_payload" } };
  }
  const parsed = responseBodySchema.safeParse(json);
  if (!parsed.success) return { status: 400, body: { ok: false, error: "invalid_payload", detail: z.prettifyError(parsed.error) } };

  record.uses += 1;
  return applyResponse(server, record, parsed.data);
}

export function parseResponseBody(value: unknown): ResponseBody | null {
  const parsed = responseBodySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function isResponseUrlPath(path: string): boolean {
  return /^\/(actions|commands)\/T[A-Z0-9]+\/\d+\/[a-f0-9]+$/.test(path);
}
