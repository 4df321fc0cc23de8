import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { sendToApp } from "./app-client";
import type { ServerContext } from "./context";
import { parseJsonObject, readBody, sendJson } from "./http";
import { pressMessageAction } from "./interactions/actions";
import { sendComposerText } from "./interactions/commands";
import { InteractionError } from "./interactions/common";
import { addBotToChannel, cancelEventRetries, deliverEvent, uninstallApp } from "./interactions/events";
import { closeView, submitView, viewInputs } from "./interactions/views";
import { messageObject } from "./objects";
import { viewObject } from "./web-api/views";
import { BOT } from "./workspace";

/**
 * The control API for tests and people driving the sandbox: JSON, no authentication, under
 * /_sandbox/. It inspects and changes the fake's state and does what a user would do on the page.
 */

const rateLimitSchema = z.object({
  method: z.string().min(1),
  times: z.number().int().min(0).max(1000).default(1),
  retryAfter: z.number().int().min(0).max(3600).default(1),
  channel: z.string().min(1).optional(),
});
const rateLimitModeSchema = z.object({ enforce: z.boolean() });
const paginationSchema = z.object({
  maxPageSize: z.number().int().min(1).nullable().default(null),
  emptyPages: z.number().int().min(0).max(100).default(0),
});
const actionSchema = z.object({
  userId: z.string().min(1),
  channelId: z.string().min(1),
  messageTs: z.string().min(1),
  actionId: z.string().min(1),
  blockId: z.string().optional(),
  value: z.string().optional(),
  selectedOptionValue: z.string().optional(),
  selectedValues: z.array(z.string()).optional(),
});
const messageSchema = z.object({ userId: z.string().min(1), channelId: z.string().min(1), text: z.string().min(1), threadTs: z.string().optional() });
const addBotSchema = z.object({ channelId: z.string().min(1), inviterId: z.string().min(1) });
const selectionSchema = z.object({ value: z.string().optional(), values: z.array(z.string()).optional() });
const viewSubmitSchema = z.object({
  userId: z.string().min(1),
  viewId: z.string().min(1),
  values: z.record(z.string(), z.record(z.string(), selectionSchema)).default({}),
});
const viewCloseSchema = z.object({ userId: z.string().min(1), viewId: z.string().min(1) });
const eventSchema = z.object({ event: z.record(z.string(), z.unknown()).refine((event) => typeof event.type === "string", "event.type is required") });

async function readJson<T>(request: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const body = parseJsonObject(await readBody(request));
  if (body === null) throw new InteractionError("invalid_json", 400, "The request body is not a JSON object.");
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new InteractionError("invalid_request", 400, z.prettifyError(parsed.error));
  return parsed.data;
}

function channelMessages(server: ServerContext, channelId: string): unknown[] {
  return server.state.channelMessages(channelId).map((message) => ({
    ...messageObject(server.state, message, server.origin, true),
    channel: channelId,
    is_ephemeral: message.ephemeralFor !== undefined,
    ...(message.ephemeralFor ? { visible_to: message.ephemeralFor } : {}),
    ...(message.replyBroadcast ? { reply_broadcast: true } : {}),
  }));
}

/** Slack accepts the challenge back as plain text, as form `challenge=…` or as JSON `{"challenge": …}`. */
function challengeEchoed(body: string, challenge: string): boolean {
  const trimmed = body.trim();
  if (trimmed === challenge) return true;
  try {
    const parsed = JSON.parse(trimmed) as { challenge?: unknown } | null;
    if (parsed?.challenge === challenge) return true;
  } catch {
    // Not JSON: try the form encoding below.
  }
  return new URLSearchParams(trimmed).get("challenge") === challenge;
}

function resetServer(server: ServerContext): void {
  cancelEventRetries(server);
  server.state.reset();
  server.rateLimiter.reset();
  server.pagination.maxPageSize = null;
  server.pagination.emptyPages = 0;
}

// /_sandbox/*: the control API.
export async function handleControl(server: ServerContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.replace(/^\/_sandbox/, "");
  const method = request.method ?? "GET";
  const { state } = server;

  if (path === "/calls" && method === "GET") {
    const filter = url.searchParams.get("method");
    sendJson(response, 200, { calls: filter ? state.calls.filter((call) => call.method === filter) : state.calls });
    return;
  }
  if (path === "/calls" && method === "DELETE") {
    state.calls = [];
    sendJson(response, 200, { ok: true });
    return;
  }
  if (path === "/messages" && method === "DELETE") {
    // Empties every channel's history and keeps channels, members, tokens and the call log.
    state.messages.clear();
    state.touch();
    sendJson(response, 200, { ok: true });
    return;
  }
  if (path === "/deliveries" && method === "GET") {
    const kind = url.searchParams.get("kind");
    const deliveries = kind ? state.deliveries.filter((delivery) => delivery.kind === kind) : state.deliveries;
    sendJson(response, 200, { deliveries, pendingRetries: server.timers.size });
    return;
  }
  if (path === "/deliveries" && method === "DELETE") {
    state.deliveries = [];
    sendJson(response, 200, { ok: true });
    return;
  }
  const messagesMatch = /^\/channels\/([^/]+)\/messages$/.exec(path);
  if (messagesMatch && method === "GET") {
    const channelId = decodeURIComponent(messagesMatch[1] ?? "");
    if (!state.channels.has(channelId)) throw new InteractionError("channel_not_found", 404, `No channel has the id ${channelId}.`);
    sendJson(response, 200, { messages: channelMessages(server, channelId) });
    return;
  }
  if (path === "/channels" && method === "GET") {
    const channels = [...state.channels.values()].map((channel) => ({
      id: channel.id,
      name: channel.name,
      is_private: channel.isPrivate,
      is_archived: channel.isArchived,
      bot_is_member: channel.memberIds.has(BOT.userId),
      members: [...channel.memberIds],
    }));
    sendJson(response, 200, { app_installed: state.appInstalled, channels });
    return;
  }
  if (path === "/views" && method === "GET") {
    const userId = url.searchParams.get("userId");
    const views = [...state.viewStacks.entries()]
      .filter(([owner]) => !userId || owner === userId)
      .flatMap(([owner, stack]) =>
        stack.map((viewId) => {
          const stored = state.views.get(viewId);
          return stored ? { userId: owner, view: viewObject(stored), inputs: viewInputs(stored), errors: stored.errors, notice: stored.notice ?? null } : null;
        }),
      )
      .filter((view) => view !== null);
    sendJson(response, 200, { views });
    return;
  }
  if (method !== "POST") throw new InteractionError("not_found", 404, `No control endpoint ${method} ${url.pathname}.`);

  switch (path) {
    case "/reset":
      resetServer(server);
      sendJson(response, 200, { ok: true });
      return;
    case "/rate-limit": {
      const input = await readJson(request, rateLimitSchema);
      server.rateLimiter.force(input.method, input.times, input.retryAfter, input.channel);
      sendJson(response, 200, { ok: true });
      return;
    }
    case "/rate-limit-mode": {
      const input = await readJson(request, rateLimitModeSchema);
      server.rateLimiter.enforce = input.enforce;
      sendJson(response, 200, { ok: true, enforce: server.rateLimiter.enforce });
      return;
    }
    case "/pagination": {
      const input = await readJson(request, paginationSchema);
      server.pagination.maxPageSize = input.maxPageSize;
      server.pagination.emptyPages = input.emptyPages;
      sendJson(response, 200, { ok: true, pagination: server.pagination });
      return;
    }
    case "/actions": {
      const input = await readJson(request, actionSchema);
      const result = await pressMessageAction(server, input);
      sendJson(response, 200, result);
      return;
    }
    case "/messages": {
      const input = await readJson(request, messageSchema);
      sendJson(response, 200, await sendComposerText(server, input));
      return;
    }
    case "/add-bot": {
      const input = await readJson(request, addBotSchema);
      const reply = await addBotToChannel(server, input);
      sendJson(response, 200, { status: reply.status, body: reply.body, sent: JSON.parse(reply.delivery.body) as unknown });
      return;
    }
    case "/uninstall": {
      const replies = await uninstallApp(server);
      sendJson(response, 200, { deliveries: replies.map((reply) => ({ status: reply.status, body: reply.body, sent: JSON.parse(reply.delivery.body) as unknown })) });
      return;
    }
    case "/views/submit": {
      const input = await readJson(request, viewSubmitSchema);
      sendJson(response, 200, await submitView(server, input));
      return;
    }
    case "/views/close": {
      const input = await readJson(request, viewCloseSchema);
      sendJson(response, 200, { result: await closeView(server, input) });
      return;
    }
    case "/events": {
      const input = await readJson(request, eventSchema);
      const reply = await deliverEvent(server, input.event);
      sendJson(response, 200, { status: reply.status, body: reply.body, sent: JSON.parse(reply.delivery.body) as unknown });
      return;
    }
    case "/url-verification": {
      const challenge = `challenge-${Date.now().toString(36)}`;
      const body = JSON.stringify({ token: server.verificationToken, challenge, type: "url_verification" });
      const reply = await sendToApp(server, { kind: "url_verification", url: server.endpoints.events, body, contentType: "application/json" });
      const verified = reply.status === 200 && challengeEchoed(reply.body, challenge);
      sendJson(response, 200, { status: reply.status, body: reply.body, challenge, verified });
      return;
    }
    default:
      throw new InteractionError("not_found", 404, `No control endpoint ${method} ${url.pathname}.`);
  }
}
