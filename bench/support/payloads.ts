// Signed request bodies that the benchmark sends: Slack block_actions (form field `payload`) and
// PagerDuty V3 webhooks, each unique where Switchboard dedupes (trigger_id, event.id).
import { randomBytes } from "node:crypto";
import { signPagerDutyBody } from "../../lib/pagerduty/verify-signature";
import { renderIncidentMessage } from "../../lib/slack/incident-message";
import { signSlackRequest } from "../../lib/slack/verify-signature";
import { SLACK_BOT, SLACK_TEAM, person } from "../../sandbox/seed";

/** The person who presses in the load-test payloads; the team is the sandbox's, which the config maps. */
const PRESSING_USER = person("responder");

/**
 * The action_id of the button in the load-test payloads. The app acknowledges and queues every
 * block_actions payload; its worker later ignores this id, so the queued work stays small.
 */
export const BENCH_ACTION_ID = "bench_probe";

/** PagerDuty service ids of the benchmark's extensions: one service and one channel each. */
export function benchServiceId(index: number): string {
  return `P0BENCH${String(index).padStart(3, "0")}`;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/**
 * Builds a block_actions payload of about 3 KB, the size Slack sends for a press on an incident
 * message: the whole message with its blocks rides along in `message`.
 */
export function blockActionsTemplate(channelId: string): object {
  const rendered = renderIncidentMessage({
    pagerdutyIncidentId: "Q0BENCHINCIDNT",
    number: 4821,
    title: "Checkout API p99 latency above 2 s for 5 minutes on eu-west-1 (bench incident)",
    status: "triggered",
    urgency: "high",
    priority: "P1",
    pagerdutyServiceId: benchServiceId(0),
    serviceName: "Checkout API",
    assignees: [
      { id: "P0ROSA1", summary: "Rosa Responder" },
      { id: "P0OLIVIA", summary: "Olivia Owner" },
    ],
    escalationPolicyId: "P0EPCHK",
    escalationPolicyName: "Checkout On-Call",
    htmlUrl: "https://acme.pagerduty.com/incidents/Q0BENCHINCIDNT",
    lastAction: null,
    lastActionByName: null,
    lastActionAt: null,
  });
  const messageTs = "1712345678.000100";
  return {
    type: "block_actions",
    user: { id: PRESSING_USER.slackUserId, username: PRESSING_USER.email.split("@")[0], name: PRESSING_USER.email.split("@")[0], team_id: SLACK_TEAM.id },
    api_app_id: SLACK_BOT.appId,
    token: "bench-verification-token",
    container: { type: "message", message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    trigger_id: "TRIGGER_ID",
    team: { id: SLACK_TEAM.id, domain: SLACK_TEAM.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: "bench-000" },
    message: {
      type: "message",
      subtype: "bot_message",
      text: rendered.text,
      ts: messageTs,
      bot_id: SLACK_BOT.botId,
      app_id: SLACK_BOT.appId,
      blocks: rendered.blocks,
    },
    state: { values: {} },
    response_url: `https://hooks.slack.com/actions/${SLACK_TEAM.id}/1234567890123/${"x".repeat(24)}`,
    actions: [
      {
        action_id: BENCH_ACTION_ID,
        block_id: "incident:Q0BENCHINCIDNT",
        text: { type: "plain_text", text: "Acknowledge", emoji: true },
        value: "Q0BENCHINCIDNT",
        style: "primary",
        type: "button",
        action_ts: "1712345680.123456",
      },
    ],
  };
}

/**
 * Makes signed block_actions requests from one template. Only the trigger_id changes between
 * requests, so the form body is encoded once and the id is spliced into it.
 */
export function createSlackRequestFactory(input: { signingSecret: string; channelId: string; runId?: string }): () => SignedRequest {
  const encoded = new URLSearchParams({ payload: JSON.stringify(blockActionsTemplate(input.channelId)) }).toString();
  const [before, after] = splitOnce(encoded, "TRIGGER_ID");
  const runId = input.runId ?? randomBytes(4).toString("hex");
  let counter = 0;
  return () => {
    counter += 1;
    const body = `${before}${counter}.${runId}.${randomBytes(6).toString("hex")}${after}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    return {
      body,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": signSlackRequest(input.signingSecret, timestamp, body),
      },
    };
  };
}

export interface IncidentWebhookInput {
  eventId: string;
  incidentId: string;
  number: number;
  serviceId: string;
  title: string;
  occurredAt?: Date;
}

/** Builds a V3 `incident.triggered` webhook body in the shape of PagerDuty's official sample. */
export function incidentTriggeredBody(input: IncidentWebhookInput): string {
  const base = "https://acme.pagerduty.com";
  const reference = (type: string, id: string, summary: string, kind: string) => ({
    html_url: `${base}/${kind}/${id}`,
    id,
    self: `https://api.pagerduty.com/${kind}/${id}`,
    summary,
    type,
  });
  return JSON.stringify({
    event: {
      id: input.eventId,
      event_type: "incident.triggered",
      resource_type: "incident",
      occurred_at: (input.occurredAt ?? new Date()).toISOString(),
      agent: null,
      client: { name: "Monitoring Service" },
      data: {
        id: input.incidentId,
        type: "incident",
        self: `https://api.pagerduty.com/incidents/${input.incidentId}`,
        html_url: `${base}/incidents/${input.incidentId}`,
        number: input.number,
        status: "triggered",
        incident_key: null,
        created_at: (input.occurredAt ?? new Date()).toISOString(),
        title: input.title,
        service: reference("service_reference", input.serviceId, `Bench service ${input.serviceId}`, "services"),
        assignees: [reference("user_reference", "P0ROSA1", "Rosa Responder", "users")],
        escalation_policy: reference("escalation_policy_reference", "P0EPCHK", "Checkout On-Call", "escalation_policies"),
        teams: [reference("team_reference", "P0TEAMPAY", "Payments", "teams")],
        priority: null,
        urgency: "high",
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  });
}

/** Signs a webhook body as PagerDuty does, with a fresh X-Webhook-Id. */
export function signedWebhook(secret: string, body: string): SignedRequest {
  return {
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "PagerDuty-Webhook/V3.0",
      "x-webhook-id": randomBytes(12).toString("hex"),
      "x-pagerduty-signature": `v1=${signPagerDutyBody(secret, body)}`,
    },
  };
}

/**
 * Makes signed `incident.triggered` webhooks, each for a new incident, spread over `serviceCount`
 * services in turn. Incident ids carry `runId`, so the harness can find each one's message later.
 */
export function createWebhookRequestFactory(input: { secret: string; serviceCount: number; runId: string }): () => SignedRequest {
  let counter = 0;
  return () => {
    const index = counter;
    counter += 1;
    const incidentId = benchIncidentId(input.runId, index);
    const body = incidentTriggeredBody({
      eventId: `${input.runId}-${index}-${randomBytes(4).toString("hex")}`,
      incidentId,
      number: index + 1,
      serviceId: benchServiceId(index % input.serviceCount),
      title: `Bench incident ${incidentId}`,
    });
    return signedWebhook(input.secret, body);
  };
}

/** Returns an incident id unique to one run and index, in PagerDuty's upper-case alphabet. */
export function benchIncidentId(runId: string, index: number): string {
  return `QB${runId.toUpperCase()}${index.toString(36).toUpperCase().padStart(6, "0")}`;
}

function splitOnce(text: string, marker: string): [string, string] {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`Template has no ${marker} marker`);
  return [text.slice(0, at), text.slice(at + marker.length)];
}
