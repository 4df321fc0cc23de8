import { sendToApp, type AppReply } from "../app-client";
import type { ServerContext } from "../context";
import { messageObject } from "../objects";
import type { JsonObject } from "../state";
import { viewObject } from "../web-api/views";
import { BOT } from "../workspace";
import {
  InteractionError,
  actionTimestamp,
  appFailureNotice,
  issueResponseUrl,
  payloadForm,
  payloadTeam,
  payloadUser,
} from "./common";
import { actionObject, findElement, isValidSelection, selectionKey, stateValues, type Selection } from "./elements";

export interface MessageActionInput {
  userId: string;
  channelId: string;
  messageTs: string;
  actionId: string;
  blockId?: string;
  /** Picks among buttons that share an action_id; for other elements, the same as selectedOptionValue. */
  value?: string;
  /** The chosen option value, user id, channel id or date for selects, overflows and pickers. */
  selectedOptionValue?: string;
  /** The chosen values for multi-selects and checkboxes. */
  selectedValues?: string[];
}

export interface InteractionResult {
  /** The app's HTTP status, or null when it timed out or could not be reached. */
  status: number | null;
  body: string;
  timedOut: boolean;
  error?: string;
  /** The notice the page shows the user about a failed delivery, or null. */
  notice: string | null;
  payload: JsonObject;
}

function toResult(reply: AppReply, payload: JsonObject): InteractionResult {
  return {
    status: reply.status,
    body: reply.body,
    timedOut: reply.timedOut,
    ...(reply.error ? { error: reply.error } : {}),
    notice: appFailureNotice(reply),
    payload,
  };
}

function selectionOf(input: { selectedOptionValue?: string; selectedValues?: string[] }): Selection | undefined {
  if (input.selectedValues) return { values: input.selectedValues };
  if (input.selectedOptionValue !== undefined) return { value: input.selectedOptionValue };
  return undefined;
}

/**
 * Presses a button or picks an option on a message, as a user does on the page: sends the signed
 * block_actions payload to the app's interactivity URL and records what the user would see.
 */
export async function pressMessageAction(server: ServerContext, input: MessageActionInput): Promise<InteractionResult> {
  const { state } = server;
  const user = payloadUser(input.userId);
  const channel = state.channels.get(input.channelId);
  if (!channel) throw new InteractionError("channel_not_found", 404, `No channel has the id ${input.channelId}.`);
  if (channel.isPrivate && !channel.memberIds.has(input.userId)) {
    throw new InteractionError("not_in_channel", 403, `${input.userId} is not a member of the private channel ${channel.id}.`);
  }
  const message = state.findMessage(channel.id, input.messageTs);
  if (!message || (message.ephemeralFor && message.ephemeralFor !== input.userId)) {
    throw new InteractionError("message_not_found", 404, `No message with ts ${input.messageTs} is visible to ${input.userId} in ${channel.id}.`);
  }
  const found = findElement(message.blocks, input.actionId, input.blockId, input.value);
  if (!found) {
    throw new InteractionError("action_not_found", 404, `The message ${input.messageTs} has no element with action_id ${input.actionId}.`);
  }
  const selection = selectionOf(
    found.element.type !== "button" && input.selectedOptionValue === undefined && input.value !== undefined
      ? { ...input, selectedOptionValue: input.value }
      : input,
  );
  if (found.element.type === "overflow" && selection?.value === undefined) {
    throw new InteractionError("invalid_selection", 400, "An overflow menu needs selectedOptionValue: the value of the chosen option.");
  }
  if (!isValidSelection(found.element, selection)) {
    throw new InteractionError("invalid_selection", 400, `The element ${input.actionId} offers no option with the chosen value.`);
  }

  const ephemeral = message.ephemeralFor !== undefined;
  const selections = new Map<string, Selection>();
  if (selection) selections.set(selectionKey(found.blockId, input.actionId), selection);
  const payload: JsonObject = {
    type: "block_actions",
    user,
    api_app_id: BOT.appId,
    token: server.verificationToken,
    container: {
      type: "message",
      message_ts: message.ts,
      channel_id: channel.id,
      is_ephemeral: ephemeral,
      ...(message.threadTs && message.threadTs !== message.ts ? { thread_ts: message.threadTs } : {}),
    },
    trigger_id: state.issueTrigger(input.userId, channel.id),
    team: payloadTeam(),
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channel.name },
    // Slack leaves the message out when the source is ephemeral.
    ...(ephemeral ? {} : { message: messageObject(state, message, server.origin, true) }),
    state: { values: stateValues(message.blocks, selections) },
    response_url: issueResponseUrl(server, input.userId, { kind: "message", channelId: channel.id, messageTs: message.ts, ephemeral }),
    actions: [actionObject(found, selection, actionTimestamp(server.nowMs()))],
  };

  const reply = await sendToApp(server, {
    kind: "block_actions",
    url: server.endpoints.interactions,
    body: payloadForm(payload),
    contentType: "application/x-www-form-urlencoded",
  });
  const result = toResult(reply, payload);
  const key = state.noticeKey(input.userId, channel.id, message.ts);
  if (result.notice) state.notices.set(key, { text: result.notice, timeMs: server.nowMs() });
  else state.notices.delete(key);
  state.touch();
  return result;
}

export interface ViewActionInput {
  userId: string;
  viewId: string;
  actionId: string;
  blockId?: string;
  selectedOptionValue?: string;
  selectedValues?: string[];
  /** The inputs' current selections, by block_id and action_id, as on the page. */
  values?: Record<string, Record<string, Selection>>;
}

/** Presses a button (or picks an overflow option) inside a modal: block_actions with a view container. */
export async function pressViewAction(server: ServerContext, input: ViewActionInput): Promise<InteractionResult> {
  const { state } = server;
  const user = payloadUser(input.userId);
  const stored = state.views.get(input.viewId);
  if (!stored || stored.userId !== input.userId) {
    throw new InteractionError("view_not_found", 404, `No view ${input.viewId} is open for ${input.userId}.`);
  }
  const found = findElement(stored.view.blocks, input.actionId, input.blockId);
  if (!found) throw new InteractionError("action_not_found", 404, `The view ${input.viewId} has no element with action_id ${input.actionId}.`);
  const selection = selectionOf(input);
  if (!isValidSelection(found.element, selection)) {
    throw new InteractionError("invalid_selection", 400, `The element ${input.actionId} offers no option with the chosen value.`);
  }

  stored.values = stateValues(stored.view.blocks, selectionsFrom(input.values));
  const payload: JsonObject = {
    type: "block_actions",
    user,
    api_app_id: BOT.appId,
    token: server.verificationToken,
    container: { type: "view", view_id: stored.id },
    trigger_id: state.issueTrigger(input.userId, stored.channelId),
    team: payloadTeam(),
    enterprise: null,
    is_enterprise_install: false,
    view: viewObject(stored),
    actions: [actionObject(found, selection, actionTimestamp(server.nowMs()))],
  };
  const reply = await sendToApp(server, {
    kind: "block_actions",
    url: server.endpoints.interactions,
    body: payloadForm(payload),
    contentType: "application/x-www-form-urlencoded",
  });
  state.touch();
  return toResult(reply, payload);
}

/** Flattens page input values into the selection map `stateValues` reads. */
export function selectionsFrom(values: Record<string, Record<string, Selection>> | undefined): Map<string, Selection> {
  const selections = new Map<string, Selection>();
  for (const [blockId, byAction] of Object.entries(values ?? {})) {
    for (const [actionId, selection] of Object.entries(byAction)) selections.set(selectionKey(blockId, actionId), selection);
  }
  return selections;
}
