import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { ServerContext } from "../context";
import { escapeHtml, mediaType, parseJsonObject, readBody, redirect, sendHtml, sendJson } from "../http";
import { pressMessageAction, pressViewAction } from "../interactions/actions";
import { sendComposerText } from "../interactions/commands";
import { InteractionError } from "../interactions/common";
import { addBotToChannel, uninstallApp } from "../interactions/events";
import { closeView, submitView } from "../interactions/views";
import { findMember } from "../workspace";
import { DEFAULT_VIEWER_ID, clientPageHtml, pageView, simplePageHtml } from "./render";

const selectionSchema = z.object({ value: z.string().optional(), values: z.array(z.string()).optional() });
const valuesSchema = z.record(z.string(), z.record(z.string(), selectionSchema));

const viewerSchema = z.object({ as: z.string().min(1) });

const actionSchema = viewerSchema.extend({
  channelId: z.string().min(1),
  messageTs: z.string().min(1),
  actionId: z.string().min(1),
  blockId: z.string().optional(),
  selectedOptionValue: z.string().optional(),
  selectedValues: z.array(z.string()).optional(),
});

const viewActionSchema = viewerSchema.extend({
  viewId: z.string().min(1),
  actionId: z.string().min(1),
  blockId: z.string().optional(),
  selectedOptionValue: z.string().optional(),
  selectedValues: z.array(z.string()).optional(),
  values: valuesSchema.optional(),
});

const messageSchema = viewerSchema.extend({ channelId: z.string().min(1), text: z.string(), threadTs: z.string().optional() });
const channelSchema = viewerSchema.extend({ channelId: z.string().min(1) });
const viewSubmitSchema = viewerSchema.extend({ viewId: z.string().min(1), values: valuesSchema.default({}) });
const viewCloseSchema = viewerSchema.extend({ viewId: z.string().min(1) });

function viewerOf(url: URL): string {
  const requested = url.searchParams.get("as");
  return requested && findMember(requested) ? requested : DEFAULT_VIEWER_ID;
}

// GET /: the page of the first channel.
export function handleRoot(server: ServerContext, response: ServerResponse): void {
  const first = server.state.channels.values().next().value;
  redirect(response, first ? `/client/${encodeURIComponent(first.id)}` : "/client/none");
}

// GET /client/<channelId>?as=<userId>: the Slack-like page for one channel and viewer.
export function handleClientPage(server: ServerContext, response: ServerResponse, url: URL, channelId: string): void {
  const channel = server.state.channels.get(channelId);
  if (!channel) {
    sendHtml(response, 404, simplePageHtml("Channel not found", `<p>No channel has the id ${escapeHtml(channelId)}. <a href="/">Open the first channel</a>.</p>`));
    return;
  }
  sendHtml(response, 200, clientPageHtml(server, channel, viewerOf(url)));
}

// GET /client/<channelId>/state?as=<userId>&since=<version>: what the page polls every second.
export function handleClientState(server: ServerContext, response: ServerResponse, url: URL, channelId: string): void {
  const channel = server.state.channels.get(channelId);
  if (!channel) {
    sendJson(response, 404, { ok: false, error: "channel_not_found" });
    return;
  }
  if (url.searchParams.get("since") === String(server.state.version)) {
    sendJson(response, 200, { unchanged: true, version: server.state.version });
    return;
  }
  sendJson(response, 200, pageView(server, channel, viewerOf(url)));
}

async function readPageJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  // Requiring JSON keeps other sites' plain form posts out: they cannot send this content type.
  if (mediaType(request) !== "application/json") throw new InteractionError("unsupported_media_type", 415, "Send the request body as application/json.");
  const body = parseJsonObject(await readBody(request));
  if (!body) throw new InteractionError("invalid_json", 400, "The request body is not a JSON object.");
  return body;
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new InteractionError("invalid_request", 400, z.prettifyError(parsed.error));
  return parsed.data;
}

function requireViewer(userId: string): void {
  if (!findMember(userId)) throw new InteractionError("user_not_found", 404, `No workspace member has the Slack user id ${userId}.`);
}

// POST /client/api/<operation>: what the page's buttons, menus, message box and dialogs do.
export async function handleClientApi(server: ServerContext, request: IncomingMessage, response: ServerResponse, operation: string): Promise<void> {
  const body = await readPageJson(request);
  switch (operation) {
    case "action": {
      const input = parseWith(actionSchema, body);
      const result = await pressMessageAction(server, { ...input, userId: input.as });
      sendJson(response, 200, { ok: true, status: result.status, notice: result.notice });
      return;
    }
    case "view-action": {
      const input = parseWith(viewActionSchema, body);
      const result = await pressViewAction(server, { ...input, userId: input.as });
      sendJson(response, 200, { ok: true, status: result.status, notice: result.notice });
      return;
    }
    case "message": {
      const input = parseWith(messageSchema, body);
      const result = await sendComposerText(server, { userId: input.as, channelId: input.channelId, text: input.text, ...(input.threadTs ? { threadTs: input.threadTs } : {}) });
      sendJson(response, 200, { ok: true, kind: result.kind, status: result.status ?? null });
      return;
    }
    case "add-bot": {
      const input = parseWith(channelSchema, body);
      requireViewer(input.as);
      const reply = await addBotToChannel(server, { channelId: input.channelId, inviterId: input.as });
      sendJson(response, 200, { ok: true, status: reply.status });
      return;
    }
    case "join": {
      const input = parseWith(channelSchema, body);
      requireViewer(input.as);
      const channel = server.state.channels.get(input.channelId);
      if (!channel || channel.isPrivate) throw new InteractionError("channel_not_found", 404, `No public channel has the id ${input.channelId}.`);
      channel.memberIds.add(input.as);
      server.state.touch();
      sendJson(response, 200, { ok: true });
      return;
    }
    case "uninstall": {
      const input = parseWith(viewerSchema, body);
      requireViewer(input.as);
      const replies = await uninstallApp(server);
      sendJson(response, 200, { ok: true, statuses: replies.map((reply) => reply.status) });
      return;
    }
    case "view-submit": {
      const input = parseWith(viewSubmitSchema, body);
      const result = await submitView(server, { userId: input.as, viewId: input.viewId, values: input.values });
      sendJson(response, 200, { ok: true, status: result.status, notice: result.notice, errors: result.localErrors ?? null });
      return;
    }
    case "view-close": {
      const input = parseWith(viewCloseSchema, body);
      const result = await closeView(server, { userId: input.as, viewId: input.viewId });
      sendJson(response, 200, { ok: true, status: result?.status ?? null });
      return;
    }
    default:
      throw new InteractionError("not_found", 404, `Unknown page operation "${operation}".`);
  }
}
