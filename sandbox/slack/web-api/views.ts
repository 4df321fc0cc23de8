import { validateModalView, withGeneratedIds } from "../block-kit";
import type { ServerContext } from "../context";
import { randomHex, randomId, type JsonObject, type SlackState, type StoredView } from "../state";
import { BOT, TEAM } from "../workspace";
import { SlackApiError, type MethodCall } from "./core";

/** A trigger_id is good for one use within 3 seconds. */
export const TRIGGER_TTL_MS = 3000;
/** views.open plus at most two views.push: a stack of three. */
const MAX_STACK = 3;

/** Uses up a trigger_id, or throws Slack's error for a missing, used or expired one. */
function exchangeTrigger(call: MethodCall): { userId: string; channelId?: string } {
  const triggerId = call.args.string("trigger_id") ?? call.args.string("interactivity_pointer");
  const trigger = triggerId ? call.server.state.triggers.get(triggerId) : undefined;
  if (!trigger) throw new SlackApiError("invalid_trigger_id");
  if (trigger.used) throw new SlackApiError("exchanged_trigger_id");
  if (call.server.nowMs() - trigger.createdMs > TRIGGER_TTL_MS) throw new SlackApiError("expired_trigger_id");
  trigger.used = true;
  return { userId: trigger.userId, channelId: trigger.channelId };
}

function readView(call: MethodCall): JsonObject {
  const viewArg = call.args.json("view");
  if (!viewArg.present || !viewArg.ok) {
    throw new SlackApiError("invalid_arguments", { response_metadata: { messages: ["[ERROR] must provide an object [json-pointer:/view]"] } });
  }
  const problem = validateModalView(viewArg.value);
  if (problem) {
    const extra = problem.problems.length > 0 ? { response_metadata: { messages: problem.problems.map((text) => `[ERROR] ${text}`) } } : {};
    throw new SlackApiError(problem.error, extra);
  }
  const view = viewArg.value as JsonObject;
  return { ...view, blocks: withGeneratedIds((view.blocks ?? []) as JsonObject[]) };
}

function newHash(state: SlackState): string {
  return `${Math.floor(state.nowMs() / 1000)}.${randomHex(4)}`;
}

function assertExternalIdFree(state: SlackState, externalId: string, exceptViewId?: string): void {
  if (!externalId) return;
  for (const view of state.views.values()) {
    if (view.externalId === externalId && view.id !== exceptViewId) throw new SlackApiError("duplicate_external_id");
  }
}

/** The view object Slack returns from views.* and sends in view payloads. */
export function viewObject(stored: StoredView): JsonObject {
  const view = stored.view;
  return {
    id: stored.id,
    team_id: TEAM.id,
    type: view.type ?? "modal",
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? "",
    callback_id: view.callback_id ?? "",
    state: { values: stored.values },
    hash: stored.hash,
    title: view.title,
    clear_on_close: view.clear_on_close === true,
    notify_on_close: view.notify_on_close === true,
    close: view.close ?? null,
    submit: view.submit ?? null,
    previous_view_id: stored.previousViewId,
    root_view_id: stored.rootViewId,
    app_id: BOT.appId,
    external_id: stored.externalId,
    app_installed_team_id: TEAM.id,
    bot_id: BOT.botId,
  };
}

function storeView(server: ServerContext, input: { userId: string; view: JsonObject; rootViewId?: string; previousViewId: string | null; channelId?: string }): StoredView {
  const id = `V${randomId(10)}`;
  const externalId = typeof input.view.external_id === "string" ? input.view.external_id : "";
  const stored: StoredView = {
    id,
    userId: input.userId,
    view: input.view,
    hash: newHash(server.state),
    externalId,
    rootViewId: input.rootViewId ?? id,
    previousViewId: input.previousViewId,
    values: {},
    errors: {},
    ...(input.channelId ? { channelId: input.channelId } : {}),
  };
  server.state.views.set(id, stored);
  return stored;
}

// POST /api/views.open: opens a modal for the user who caused the trigger.
export function viewsOpen(call: MethodCall): JsonObject {
  const view = readView(call);
  const externalId = typeof view.external_id === "string" ? view.external_id : "";
  assertExternalIdFree(call.server.state, externalId);
  const trigger = exchangeTrigger(call);
  const stored = storeView(call.server, { userId: trigger.userId, view, previousViewId: null, channelId: trigger.channelId });
  call.server.state.viewStacks.set(trigger.userId, [stored.id]);
  call.server.state.touch();
  return { ok: true, view: viewObject(stored) };
}

// POST /api/views.push: puts a view on top of the user's open modal.
export function viewsPush(call: MethodCall): JsonObject {
  const view = readView(call);
  const externalId = typeof view.external_id === "string" ? view.external_id : "";
  assertExternalIdFree(call.server.state, externalId);
  const trigger = exchangeTrigger(call);
  const stack = call.server.state.viewStacks.get(trigger.userId) ?? [];
  const top = stack[stack.length - 1];
  if (!top) throw new SlackApiError("not_found");
  if (stack.length >= MAX_STACK) throw new SlackApiError("push_limit_reached");
  return { ok: true, view: viewObject(pushView(call.server, trigger.userId, view)) };
}

/** Pushes a view on the user's stack (views.push and `response_action: push`). */
export function pushView(server: ServerContext, userId: string, view: JsonObject): StoredView {
  const stack = server.state.viewStacks.get(userId) ?? [];
  const top = stack[stack.length - 1];
  const topView = top ? server.state.views.get(top) : undefined;
  const stored = storeView(server, {
    userId,
    view,
    rootViewId: topView?.rootViewId,
    previousViewId: top ?? null,
    channelId: topView?.channelId,
  });
  server.state.viewStacks.set(userId, [...stack, stored.id]);
  server.state.touch();
  return stored;
}

/** Replaces a stored view's content and gives it a new hash (views.update, `response_action: update`). */
export function replaceView(server: ServerContext, stored: StoredView, view: JsonObject): void {
  stored.view = view;
  stored.externalId = typeof view.external_id === "string" ? view.external_id : stored.externalId;
  stored.hash = newHash(server.state);
  stored.errors = {};
  server.state.touch();
}

// POST /api/views.update: replaces a view by view_id or external_id.
export function viewsUpdate(call: MethodCall): JsonObject {
  const { state } = call.server;
  const viewId = call.args.string("view_id");
  const externalId = call.args.string("external_id");
  if (!viewId && !externalId) {
    throw new SlackApiError("invalid_arguments", { response_metadata: { messages: ["[ERROR] either view_id or external_id is required"] } });
  }
  const stored = viewId ? state.views.get(viewId) : [...state.views.values()].find((view) => view.externalId === externalId);
  if (!stored) throw new SlackApiError("not_found");
  const hash = call.args.string("hash");
  if (hash && hash !== stored.hash) throw new SlackApiError("hash_conflict");
  const view = readView(call);
  if (typeof view.external_id === "string") assertExternalIdFree(state, view.external_id, stored.id);
  replaceView(call.server, stored, view);
  return { ok: true, view: viewObject(stored) };
}
