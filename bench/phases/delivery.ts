import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { ACTION_IDS } from "../../lib/slack/incident-message";
import { POST_MESSAGE_LIMIT } from "../../sandbox/slack/rate-limits";
import { clearCalls, isOk, listCalls, postsByIncident, setRateLimitMode, type RecordedCall } from "../support/fake-slack-calls";
import { benchIncidentId, incidentTriggeredBody, signedWebhook } from "../support/payloads";
import { cpuSince, machineBusySeconds, readCpu, withRestOfMachine } from "../support/cpu";
import { waitForQueueDrain } from "../support/queue";
import { benchProcessGroups, PRESSING_PERSON, type BenchStack } from "../support/stack";
import { summarize, type LatencySummary } from "../support/stats";

/** The fake PagerDuty service that the pressed incidents live on; Switchboard maps them by webhook. */
const PRESSED_SERVICE_ID = "P0SVCCHK";

export interface SteadyDelivery {
  run: number;
  kind: "webhook_to_post" | "press_to_update";
  ratePerSecond: number;
  sent: number;
  delivered: number;
  /** Incidents posted more than once (webhook_to_post) or presses with no update (press_to_update). */
  duplicates: number;
  latencyMs: LatencySummary;
}

export interface BurstDelivery {
  run: number;
  incidents: number;
  channels: number;
  delivered: number;
  duplicates: number;
  rateLimited: number;
  /** From the first webhook sent to the last message posted. */
  totalSeconds: number;
  /** Shortest time the fake's limits allow: the busiest channel's messages beyond its burst, one per second. */
  minimumSeconds: number;
  latencyMs: LatencySummary;
  /** CPU seconds by process group from the first webhook until the queue was empty. */
  cpuSeconds: Record<string, number>;
}

interface Sent {
  incidentTag: string;
  sentAt: number;
}

/** Sends one signed incident.triggered webhook and checks that Switchboard accepted it. */
async function sendTriggered(stack: BenchStack, input: { tag: string; incidentId: string; serviceId: string; number: number }): Promise<void> {
  const body = incidentTriggeredBody({
    eventId: `${input.tag}-event`,
    incidentId: input.incidentId,
    number: input.number,
    serviceId: input.serviceId,
    title: `Bench incident ${input.tag}`,
  });
  const signed = signedWebhook(stack.secrets.pagerdutyWebhookSecret, body);
  const response = await fetch(`${stack.switchboard.url}/api/pagerduty/webhooks`, { method: "POST", headers: signed.headers, body: signed.body });
  if (response.status !== 202) throw new Error(`Switchboard responded with ${response.status} to a webhook: ${await response.text()}`);
}

/** Calls `send(i)` for i = 0..count-1 at a steady rate, without waiting for one to finish first. */
async function atSteadyRate(count: number, ratePerSecond: number, send: (index: number) => Promise<void>): Promise<void> {
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let index = 0; index < count; index++) {
    const due = start + (index * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(index));
  }
  await Promise.all(pending);
}

/** Runs `send` over 0..count-1 with at most `concurrency` in flight. */
async function withConcurrency(count: number, concurrency: number, send: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const index = next++;
      await send(index);
    }
  });
  await Promise.all(lanes);
}

/**
 * Waits until every incident in `incidentIds` has its Slack message posted, as Switchboard's
 * database records it. Polling the database keeps the fake Slack free of large call-log requests
 * while it is being measured.
 */
async function waitForPosted(stack: BenchStack, incidentIds: string[], what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await stack.pool.query<{ count: string }>(
      `SELECT count(*) FROM incident_message AS message JOIN incident ON incident.id = message.incident_id
        WHERE incident.pagerduty_incident_id = ANY($1::text[]) AND message.slack_message_ts IS NOT NULL`,
      [incidentIds],
    );
    if (Number(result.rows[0]!.count) >= incidentIds.length) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}: ${result.rows[0]!.count} of ${incidentIds.length} posted`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls the fake's calls until `done` holds, or fails after `timeoutMs`. */
async function waitForCalls(slackUrl: string, method: string, done: (calls: RecordedCall[]) => boolean, what: string, timeoutMs: number): Promise<RecordedCall[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const calls = await listCalls(slackUrl, method);
    if (done(calls)) return calls;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function postLatencies(sent: Sent[], posts: Map<string, RecordedCall[]>): number[] {
  return sent.flatMap(({ incidentTag, sentAt }) => {
    const first = posts.get(incidentTag)?.[0];
    return first ? [Date.parse(first.time) - sentAt] : [];
  });
}

/**
 * Delivers a few incidents, unmeasured, so that the first measured ones do not pay for connections
 * and code that the server loads on first use.
 */
async function warmUpDelivery(stack: BenchStack, runId: string): Promise<void> {
  const tags = Array.from({ length: 10 }, (_, index) => `${benchIncidentId(runId, index)}W`);
  await withConcurrency(tags.length, 4, async (index) => {
    const channel = stack.channels[index % stack.channels.length]!;
    await sendTriggered(stack, { tag: tags[index]!, incidentId: tags[index]!, serviceId: channel.serviceId, number: index + 1 });
  });
  await waitForPosted(stack, tags, "the warm-up messages", 120_000);
  await waitForQueueDrain(stack.pool, 120_000);
}

/**
 * Measures webhook received → chat.postMessage arriving at the fake: new incidents at a steady
 * rate, spread over the channels in turn. Latency runs from just before the webhook is sent.
 */
export async function measureSteadyPosts(input: { stack: BenchStack; run: number; ratePerSecond: number; seconds: number; log: Logger }): Promise<SteadyDelivery> {
  const { stack } = input;
  const runId = randomBytes(3).toString("hex");
  const count = Math.round(input.ratePerSecond * input.seconds);
  await warmUpDelivery(stack, runId);
  await clearCalls(stack.slack.url);
  const sent: Sent[] = [];
  await atSteadyRate(count, input.ratePerSecond, async (index) => {
    const tag = benchIncidentId(runId, index);
    const channel = stack.channels[index % stack.channels.length]!;
    sent.push({ incidentTag: tag, sentAt: Date.now() });
    await sendTriggered(stack, { tag, incidentId: tag, serviceId: channel.serviceId, number: index + 1 });
  });
  await waitForPosted(stack, sent.map(({ incidentTag }) => incidentTag), `${count} incident messages`, 120_000);
  // Late duplicates would come from jobs still running: wait for the queue to empty before counting.
  await waitForQueueDrain(stack.pool, 120_000);
  const posts = postsByIncident(await listCalls(stack.slack.url, "chat.postMessage"));
  if (process.env.BENCH_DEBUG) console.log(postLatencies(sent, posts).join(" "));
  return {
    run: input.run,
    kind: "webhook_to_post",
    ratePerSecond: input.ratePerSecond,
    sent: count,
    delivered: sent.filter(({ incidentTag }) => posts.has(incidentTag)).length,
    duplicates: [...posts.values()].filter((list) => list.length > 1).length,
    latencyMs: summarize(postLatencies(sent, posts)),
  };
}

/**
 * Measures button press → chat.update arriving at the fake. The incidents exist in the fake
 * PagerDuty, because the press acknowledges them there. Their messages come from webhooks the
 * harness sends, which map each incident to one of the benchmark's channels. Presses go through the
 * fake Slack, which signs and sends block_actions as Slack does. Latency runs from just before the press.
 */
export async function measureSteadyPresses(input: { stack: BenchStack; run: number; ratePerSecond: number; seconds: number; log: Logger }): Promise<SteadyDelivery> {
  const { stack } = input;
  const runId = randomBytes(3).toString("hex");
  const count = Math.round(input.ratePerSecond * input.seconds);

  // Set-up, not measured: incidents in the fake PagerDuty, and their messages in Slack.
  const incidents: { tag: string; incidentId: string; channelId: string }[] = [];
  await withConcurrency(count, 8, async (index) => {
    const tag = benchIncidentId(runId, index);
    const response = await fetch(`${stack.pagerduty.url}/_sandbox/trigger`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ serviceId: PRESSED_SERVICE_ID, title: `Bench incident ${tag}` }),
    });
    if (response.status !== 201) throw new Error(`The fake PagerDuty responded with ${response.status} to a trigger: ${await response.text()}`);
    const { incident } = (await response.json()) as { incident: { id: string; incident_number: number } };
    const channel = stack.channels[index % stack.channels.length]!;
    await sendTriggered(stack, { tag, incidentId: incident.id, serviceId: channel.serviceId, number: incident.incident_number });
    incidents[index] = { tag, incidentId: incident.id, channelId: channel.id };
  });
  await waitForPosted(stack, incidents.map(({ incidentId }) => incidentId), `${count} messages to press on`, 120_000);
  await waitForQueueDrain(stack.pool, 120_000);
  const posted = postsByIncident(await listCalls(stack.slack.url, "chat.postMessage"));

  const pressedAt = new Map<string, number>();
  const messageKey = (channelId: string, ts: string) => `${channelId}/${ts}`;
  let refused = 0;
  await atSteadyRate(count, input.ratePerSecond, async (index) => {
    const { tag, incidentId, channelId } = incidents[index]!;
    const ts = String(posted.get(tag)![0]!.response.ts);
    pressedAt.set(messageKey(channelId, ts), Date.now());
    const response = await fetch(`${stack.slack.url}/_sandbox/actions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: PRESSING_PERSON.slackUserId, channelId, messageTs: ts, actionId: ACTION_IDS.acknowledge, value: incidentId }),
    });
    const result = (await response.json()) as { status?: number };
    if (response.status !== 200 || result.status !== 200) refused += 1;
  });
  if (refused > 0) input.log.warn({ refused }, "Some presses were not acknowledged with 200");

  const firstUpdates = (calls: RecordedCall[]) => {
    const first = new Map<string, number>();
    for (const call of calls) {
      if (!isOk(call)) continue;
      const key = messageKey(String(call.args.channel), String(call.args.ts));
      const pressed = pressedAt.get(key);
      const time = Date.parse(call.time);
      if (pressed !== undefined && time >= pressed && !first.has(key)) first.set(key, time - pressed);
    }
    return first;
  };
  const updates = firstUpdates(
    await waitForCalls(stack.slack.url, "chat.update", (all) => firstUpdates(all).size >= count, `${count} message updates`, 120_000).catch(async (error: unknown) => {
      input.log.warn({ err: error }, "Not every press led to a message update in time");
      return listCalls(stack.slack.url, "chat.update");
    }),
  );
  await waitForQueueDrain(stack.pool, 120_000);
  return {
    run: input.run,
    kind: "press_to_update",
    ratePerSecond: input.ratePerSecond,
    sent: count,
    delivered: updates.size,
    duplicates: count - updates.size,
    latencyMs: summarize([...updates.values()]),
  };
}

/**
 * Measures a burst of new incidents, spread evenly over the channels, with the fake enforcing Slack's
 * chat.postMessage limit per channel (a burst of 3, then 1 per second, 429 with Retry-After beyond).
 */
export async function measureBurst(input: { stack: BenchStack; run: number; incidents: number; channels?: number; concurrency: number; log: Logger }): Promise<BurstDelivery> {
  const { stack } = input;
  const runId = randomBytes(3).toString("hex");
  const count = input.incidents;
  const channelCount = Math.min(input.channels ?? stack.channels.length, stack.channels.length, count);

  await waitForQueueDrain(stack.pool, 120_000);
  // Every channel's bucket refills to its burst after this long without posts.
  await new Promise((resolve) => setTimeout(resolve, (POST_MESSAGE_LIMIT.burst / POST_MESSAGE_LIMIT.perSecond) * 1000 + 500));
  await clearCalls(stack.slack.url);
  await setRateLimitMode(stack.slack.url, true);
  try {
    const sent: Sent[] = [];
    const groups = benchProcessGroups(stack);
    const cpuBefore = readCpu(groups);
    const busyBefore = machineBusySeconds();
    const firstSentAt = Date.now();
    await withConcurrency(count, input.concurrency, async (index) => {
      const tag = benchIncidentId(runId, index);
      const channel = stack.channels[index % channelCount]!;
      sent.push({ incidentTag: tag, sentAt: Date.now() });
      await sendTriggered(stack, { tag, incidentId: tag, serviceId: channel.serviceId, number: index + 1 });
    });
    await waitForPosted(stack, sent.map(({ incidentTag }) => incidentTag), `${count} burst messages`, 600_000);
    // Late duplicates would come from jobs still running: wait for the queue to empty before counting.
    await waitForQueueDrain(stack.pool, 120_000);
    const cpuSeconds = withRestOfMachine(cpuSince(cpuBefore, readCpu(groups)), machineBusySeconds() - busyBefore, 0);
    const calls = await listCalls(stack.slack.url, "chat.postMessage");
    const posts = postsByIncident(calls);
    const lastPostAt = Math.max(...[...posts.values()].map((list) => Date.parse(list[0]!.time)));
    const busiestChannel = Math.ceil(count / channelCount);
    return {
      run: input.run,
      incidents: count,
      channels: channelCount,
      delivered: sent.filter(({ incidentTag }) => posts.has(incidentTag)).length,
      duplicates: [...posts.values()].filter((list) => list.length > 1).length,
      rateLimited: calls.filter((call) => call.status === 429).length,
      totalSeconds: (lastPostAt - firstSentAt) / 1000,
      minimumSeconds: Math.max(0, busiestChannel - POST_MESSAGE_LIMIT.burst) / POST_MESSAGE_LIMIT.perSecond,
      latencyMs: summarize(postLatencies(sent, posts)),
      cpuSeconds,
    };
  } finally {
    await setRateLimitMode(stack.slack.url, false);
  }
}
