import { validateModalView, withGeneratedIds } from "../block-kit";
import { sendToApp } from "../app-client";
import type { ServerContext } from "../context";
import type { JsonObject, StoredView } from "../state";
import { pushView, replaceView, viewObject } from "../web-api/views";
import { BOT } from "../workspace";
import { selectionsFrom, type InteractionResult } from "./actions";
import { InteractionError, appFailureNotice, payloadForm, payloadTeam, payloadUser, replyJson } from "./common";
import { elementsOf, stateValues, type Selection } from "./elements";

/** The text Slack's client shows beside a required input left empty. */
export const REQUIRED_FIELD_ERROR = "Please complete this required field.";

function topView(server: ServerContext, userId: string, viewId: string): StoredView {
  const stack = server.state.viewStacks.get(userId) ?? [];
  const stored = server.state.views.get(viewId);
  if (!stored || stored.userId !== userId || stack[stack.length - 1] !== viewId) {
    throw new InteractionError("view_not_found", 404, `The view ${viewId} is not the open view of ${userId}.`);
  }
  return stored;
}

function popView(server: ServerContext, userId: string): void {
  const stack = server.state.viewStacks.get(userId) ?? [];
  stack.pop();
  if (stack.length === 0) server.state.viewStacks.delete(userId);
  server.state.touch();
}

/** Block ids of required inputs that have no value in `values`. */
function missingRequiredInputs(view: JsonObject, values: Record<string, Record<string, JsonObject>>): string[] {
  if (!Array.isArray(view.blocks)) return [];
  const missing: string[] = [];
  for (const block of view.blocks as JsonObject[]) {
    if (block.type !== "input" || block.optional === true || typeof block.block_id !== "string") continue;
    const entries = Object.values(values[block.block_id] ?? {});
    const hasValue = entries.some((entry) =>
      Object.entries(entry).some(([key, value]) => key !== "type" && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0)),
    );
    if (!hasValue) missing.push(block.block_id);
  }
  return missing;
}

/** Reads the app's view for `response_action: update` or `push`, with Slack's view checks. */
function responseView(value: unknown): JsonObject | string {
  const problem = validateModalView(value);
  if (problem) return `The app answered with an invalid view (${problem.error}): ${problem.problems.join("; ")}`;
  const view = value as JsonObject;
  return { ...view, blocks: withGeneratedIds((view.blocks ?? []) as JsonObject[]) };
}

export interface SubmitViewInput {
  userId: string;
  viewId: string;
  /** Input selections by block_id and action_id, as entered in the dialog. */
  values: Record<string, Record<string, Selection>>;
}

/**
 * Submits the user's open modal: sends view_submission and carries out the app's response_action
 * (close on an empty reply; errors, update, push or clear).
 */
export async function submitView(server: ServerContext, input: SubmitViewInput): Promise<InteractionResult & { localErrors?: Record<string, string> }> {
  const stored = topView(server, input.userId, input.viewId);
  const user = payloadUser(input.userId);
  stored.values = stateValues(stored.view.blocks, selectionsFrom(input.values));

  // Slack's client refuses to submit while a required input is empty; the app never hears of it.
  const missing = missingRequiredInputs(stored.view, stored.values);
  if (missing.length > 0) {
    stored.errors = Object.fromEntries(missing.map((blockId) => [blockId, REQUIRED_FIELD_ERROR]));
    server.state.touch();
    return { status: null, body: "", timedOut: false, notice: null, payload: {}, localErrors: stored.errors };
  }

  const payload: JsonObject = {
    type: "view_submission",
    team: payloadTeam(),
    user,
    api_app_id: BOT.appId,
    token: server.verificationToken,
    trigger_id: server.state.issueTrigger(input.userId, stored.channelId),
    view: viewObject(stored),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  const reply = await sendToApp(server, {
    kind: "view_submission",
    url: server.endpoints.interactions,
    body: payloadForm(payload),
    contentType: "application/x-www-form-urlencoded",
  });
  const result: InteractionResult = {
    status: reply.status,
    body: reply.body,
    timedOut: reply.timedOut,
    ...(reply.error ? { error: reply.error } : {}),
    notice: appFailureNotice(reply),
    payload,
  };
  if (result.notice) {
    stored.notice = result.notice;
    server.state.touch();
    return result;
  }
  delete stored.notice;
  applyResponseAction(server, input.userId, stored, replyJson(reply));
  return result;
}

function applyResponseAction(server: ServerContext, userId: string, stored: StoredView, reply: JsonObject | null): void {
  const action = reply?.response_action;
  if (action === "errors" && reply && typeof reply.errors === "object" && reply.errors !== null) {
    stored.errors = Object.fromEntries(Object.entries(reply.errors as Record<string, unknown>).map(([blockId, text]) => [blockId, String(text)]));
    server.state.touch();
    return;
  }
  if (action === "update" || action === "push") {
    const view = responseView(reply?.view);
    if (typeof view === "string") {
      stored.notice = view;
      server.state.touch();
      return;
    }
    if (action === "update") {
      stored.values = {};
      replaceView(server, stored, view);
    } else {
      pushView(server, userId, view);
    }
    return;
  }
  if (action === "clear") {
    server.state.viewStacks.delete(userId);
    server.state.touch();
    return;
  }
  popView(server, userId);
}

/** Closes the user's open modal with its Cancel button; sends view_closed if the view asked for it. */
export async function closeView(server: ServerContext, input: { userId: string; viewId: string }): Promise<InteractionResult | null> {
  const stored = topView(server, input.userId, input.viewId);
  const user = payloadUser(input.userId);
  popView(server, input.userId);
  if (stored.view.notify_on_close !== true) return null;

  const payload: JsonObject = {
    type: "view_closed",
    team: payloadTeam(),
    user,
    api_app_id: BOT.appId,
    token: server.verificationToken,
    view: viewObject(stored),
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  };
  const reply = await sendToApp(server, {
    kind: "view_closed",
    url: server.endpoints.interactions,
    body: payloadForm(payload),
    contentType: "application/x-www-form-urlencoded",
  });
  return { status: reply.status, body: reply.body, timedOut: reply.timedOut, notice: appFailureNotice(reply), payload };
}

/** Lists the inputs of a view, for the control API's description of open views. */
export function viewInputs(stored: StoredView): Array<{ blockId: string; actionId: string; type: string }> {
  return elementsOf(stored.view.blocks).map(({ element, blockId }) => ({
    blockId,
    actionId: String(element.action_id ?? ""),
    type: String(element.type ?? ""),
  }));
}
