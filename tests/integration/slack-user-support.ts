import { expect, inject } from "vitest";
import { person } from "../../sandbox/seed";
import { signSlackRequest } from "../../lib/slack/verify-signature";
import { env, eventually, getJson, sql } from "./helpers";

// Helpers for tests of what Slack users do: they drive the fake Slack's control API, which sends
// the same signed requests as its page, and read what the fake PagerDuty received.

export interface SlackMessage {
  ts: string;
  text?: string;
  blocks?: Record<string, unknown>[];
  thread_ts?: string;
  is_ephemeral?: boolean;
  visible_to?: string;
  user?: string;
}

export interface PagerDutyRequest {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  body: Record<string, any>;
  status: number;
}

export interface OpenView {
  userId: string;
  view: { id: string; hash: string; callback_id: string; title: { text: string }; blocks: Record<string, any>[]; private_metadata: string };
  inputs: { blockId: string; actionId: string; type: string }[];
  errors: Record<string, string>;
  notice: string | null;
}

export interface InteractionResult {
  status: number | null;
  body: string;
  notice: string | null;
  payload: Record<string, any>;
}

export const slackUserId = (key: string) => person(key).slackUserId;

/** Triggers an incident through the fake PagerDuty's REST API, as the owner; returns its id. */
export async function triggerIncident(title: string, serviceId = "P0SVCCHK"): Promise<string> {
  const response = await fetch(`${env.pagerdutyUrl}/incidents`, {
    method: "POST",
    headers: {
      Authorization: `Token token=${inject("pagerdutyApiToken")}`,
      Accept: "application/vnd.pagerduty+json;version=2",
      "Content-Type": "application/json",
      From: person("owner").email,
    },
    body: JSON.stringify({ incident: { type: "incident", title, urgency: "high", service: { id: serviceId, type: "service_reference" } } }),
  });
  expect(response.status).toBe(201);
  const { incident } = (await response.json()) as { incident: { id: string } };
  return incident.id;
}

/** Waits until Switchboard has posted the incident's message in the channel; returns its ts. */
export async function postedMessageTs(incidentId: string, channelId = "C0INCIDENT"): Promise<string> {
  return eventually(async () => {
    const rows = await sql<{ slack_message_ts: string | null }>(
      `SELECT m.slack_message_ts FROM incident_message m JOIN incident i ON i.id = m.incident_id WHERE i.pagerduty_incident_id = $1 AND m.slack_channel_id = $2`,
      [incidentId, channelId],
    );
    return rows[0]?.slack_message_ts ?? undefined;
  }, `the message of ${incidentId} in ${channelId}`);
}

export async function channelMessages(channelId = "C0INCIDENT"): Promise<SlackMessage[]> {
  const { messages } = await getJson<{ messages: SlackMessage[] }>(`${env.slackUrl}/_sandbox/channels/${channelId}/messages`);
  return messages;
}

async function postControl<T>(path: string, body: unknown): Promise<T> {
  return getJson<T>(`${env.slackUrl}/_sandbox${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

/** Presses a button on a message, as the person does on the fake Slack page. */
export function pressButton(userKey: string, input: { channelId?: string; messageTs: string; actionId: string; value?: string }): Promise<InteractionResult> {
  return postControl("/actions", { userId: slackUserId(userKey), channelId: input.channelId ?? "C0INCIDENT", messageTs: input.messageTs, actionId: input.actionId, value: input.value });
}

/** Picks an option of the incident message's More actions… menu. */
export function pickMoreAction(userKey: string, input: { channelId?: string; messageTs: string; option: string; incidentId: string }): Promise<InteractionResult> {
  return postControl("/actions", {
    userId: slackUserId(userKey),
    channelId: input.channelId ?? "C0INCIDENT",
    messageTs: input.messageTs,
    actionId: "incident_more_actions",
    selectedOptionValue: `${input.option}:${input.incidentId}`,
  });
}

/** Types in the message box of a channel (slash commands too); returns what the fake sent and got back. */
export function typeInChannel(userKey: string, channelId: string, text: string): Promise<{ kind: string; status?: number | null; body?: string; sent?: string }> {
  return postControl("/messages", { userId: slackUserId(userKey), channelId, text });
}

export async function openViews(userKey: string): Promise<OpenView[]> {
  const { views } = await getJson<{ views: OpenView[] }>(`${env.slackUrl}/_sandbox/views?userId=${slackUserId(userKey)}`);
  return views;
}

/** Waits for the person's open modal with this title, filled in (no longer the loading view). */
export async function filledModal(userKey: string, title: string): Promise<OpenView> {
  return eventually(async () => {
    const views = await openViews(userKey);
    return views.find((view) => view.view.title.text === title && view.view.callback_id !== "sb_loading");
  }, `the "${title}" modal of ${userKey}`);
}

export function submitModal(userKey: string, viewId: string, values: Record<string, Record<string, { value?: string; values?: string[] }>>): Promise<InteractionResult & { localErrors?: Record<string, string> }> {
  return postControl("/views/submit", { userId: slackUserId(userKey), viewId, values });
}

export function closeModal(userKey: string, viewId: string): Promise<unknown> {
  return postControl("/views/close", { userId: slackUserId(userKey), viewId });
}

/** Waits for an ephemeral message to the person whose text matches; the newest when there are several. */
export async function ephemeralTo(userKey: string, pattern: RegExp, channelId = "C0INCIDENT"): Promise<SlackMessage> {
  return eventually(async () => {
    const messages = await channelMessages(channelId);
    return messages.findLast((message) => message.is_ephemeral && message.visible_to === slackUserId(userKey) && pattern.test(`${message.text ?? ""} ${JSON.stringify(message.blocks ?? [])}`));
  }, `an ephemeral message to ${userKey} in ${channelId} matching ${pattern}`);
}

export async function pagerdutyRequests(filter: { method?: string; pathPrefix?: string } = {}): Promise<PagerDutyRequest[]> {
  const query = new URLSearchParams();
  if (filter.method) query.set("method", filter.method);
  if (filter.pathPrefix) query.set("path", filter.pathPrefix);
  const { requests } = await getJson<{ requests: PagerDutyRequest[] }>(`${env.pagerdutyUrl}/_sandbox/requests?${query}`);
  return requests;
}

/** Waits until the newest stored interaction or command of this kind is no longer pending. */
export async function processedInbound(source: "slack_interaction" | "slack_command", externalId: string): Promise<string> {
  return eventually(async () => {
    const rows = await sql<{ status: string }>(`SELECT status::text AS status FROM inbound_event WHERE source = $1 AND external_id = $2`, [source, externalId]);
    const status = rows[0]?.status;
    return status && status !== "pending" ? status : undefined;
  }, `${source} ${externalId} to be processed`);
}

/**
 * POSTs a slash command to the app, signed as Slack signs it. Tests use it for what the fake Slack
 * cannot send itself, such as a command from a DM, with a trigger_id and response_url from borrowTrigger.
 */
export async function postCommand(fields: Record<string, string>): Promise<Response> {
  const body = new URLSearchParams({ token: "sandbox-verification-token", team_id: "T0SANDBOX1", team_domain: "sandbox", command: "/pd", api_app_id: "A0SWITCHBD", is_enterprise_install: "false", ...fields }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  return fetch(`${env.appUrl}/api/slack/commands`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signSlackRequest(inject("slackSigningSecret"), timestamp, body) },
    body,
  });
}

/** Gets a fresh trigger_id and response_url of the fake Slack, from a `/pd help` typed in the channel (which uses neither). */
export async function borrowTrigger(userKey: string, channelId: string): Promise<{ triggerId: string; responseUrl: string }> {
  const typed = await typeInChannel(userKey, channelId, "/pd help");
  const sent = new URLSearchParams(typed.sent ?? "");
  return { triggerId: sent.get("trigger_id")!, responseUrl: sent.get("response_url")! };
}
