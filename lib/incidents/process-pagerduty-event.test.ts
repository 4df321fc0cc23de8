import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/client";
import { startChannelBench, type ChannelBench } from "../incident-channels/testing";
import { drainPagerDutyEvents } from "./process-pagerduty-event";

let bench: ChannelBench;
const log = pino({ level: "silent" });

beforeAll(async () => {
  bench = await startChannelBench();
}, 60_000);

afterAll(async () => {
  await bench?.close();
});

function suffix(): string {
  return randomBytes(4).toString("hex").toUpperCase();
}

async function createExtension(serviceId: string, channelId: string) {
  return bench.prisma.slackExtension.create({
    data: { name: `drain-${serviceId}`, pagerdutyServiceId: serviceId, workspaceId: bench.workspace.id, slackChannelId: channelId, slackChannelName: channelId.toLowerCase() },
  });
}

function incidentEvent(input: { incidentId: string; serviceId: string; eventType: string; status: "triggered" | "acknowledged" | "resolved"; occurredAt: string }) {
  return JSON.stringify({
    event: {
      id: `01EVENT${suffix()}`,
      event_type: input.eventType,
      resource_type: "incident",
      occurred_at: input.occurredAt,
      agent: null,
      data: {
        id: input.incidentId,
        type: "incident",
        html_url: `https://example.pagerduty.com/incidents/${input.incidentId}`,
        number: 1,
        status: input.status,
        title: `Disk full on ${input.incidentId}`,
        service: { id: input.serviceId, type: "service_reference", summary: "Checkout" },
        assignees: [],
        urgency: "high",
      },
    },
  });
}

/** Stores an event as the webhook route does, pending, and returns its inbox id. */
async function store(rawBody: string, eventType = "incident.triggered"): Promise<string> {
  const rows = await getPool().query<{ id: string }>(
    `INSERT INTO inbound_event (source, external_id, event_type, raw_body) VALUES ('pagerduty_webhook', $1, $2, $3) RETURNING id::text AS id`,
    [`drain-${suffix()}`, eventType, rawBody],
  );
  return rows.rows[0]!.id;
}

async function inboxRows(ids: string[]): Promise<{ id: string; status: string; attempts: number; last_error: string | null }[]> {
  const rows = await getPool().query(`SELECT id::text AS id, status::text AS status, attempts, last_error FROM inbound_event WHERE id = ANY($1::bigint[]) ORDER BY inbound_event.id`, [ids]);
  return rows.rows;
}

/** Reads the lists of Slack writes of the channel's delivery jobs, in queue order. */
async function deliveriesFor(channelId: string): Promise<unknown[][]> {
  const rows = await getPool().query<{ payload: unknown[] }>(
    // The public jobs view leaves the payload out, so this reads graphile-worker's own tables.
    `SELECT jobs.payload
       FROM graphile_worker._private_jobs AS jobs
       JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
       JOIN graphile_worker._private_job_queues AS queues ON queues.id = jobs.job_queue_id
      WHERE tasks.identifier = 'deliver_to_channel' AND queues.queue_name = $1
      ORDER BY jobs.id`,
    [`channel-${channelId}`],
  );
  return rows.rows.map((row) => row.payload);
}

async function drain(input: { maxAttempts?: number; batchSize?: number; inboundEventIds?: string[]; fromId?: string } = {}) {
  return drainPagerDutyEvents({ pool: getPool(), log, maxAttempts: input.maxAttempts ?? 12, batchSize: input.batchSize, inboundEventIds: input.inboundEventIds, fromId: input.fromId });
}

describe("drainPagerDutyEvents", () => {
  it("applies pending events in batches", async () => {
    const serviceId = `PSVC${suffix()}`;
    const channelId = `C${suffix()}`;
    await createExtension(serviceId, channelId);
    const first = `PINC${suffix()}`;
    const second = `PINC${suffix()}`;
    const ids = [
      await store(incidentEvent({ incidentId: first, serviceId, eventType: "incident.triggered", status: "triggered", occurredAt: "2026-12-05T01:00:00Z" })),
      await store(incidentEvent({ incidentId: first, serviceId, eventType: "incident.acknowledged", status: "acknowledged", occurredAt: "2026-12-05T01:01:00Z" }), "incident.acknowledged"),
      await store(incidentEvent({ incidentId: second, serviceId, eventType: "incident.triggered", status: "triggered", occurredAt: "2026-12-05T01:02:00Z" })),
    ];

    // Without a list, every pending event is applied.
    const outcome = await drain({ batchSize: 2 });
    expect(outcome.errors).toEqual([]);
    expect(outcome.done).toBeGreaterThanOrEqual(3);

    expect((await inboxRows(ids)).map((row) => row.status)).toEqual(["processed", "processed", "processed"]);
    const incidents = await bench.prisma.incident.findMany({ where: { pagerdutyIncidentId: { in: [first, second] } }, include: { messages: true }, orderBy: { pagerdutyIncidentId: "asc" } });
    const byId = new Map(incidents.map((incident) => [incident.pagerdutyIncidentId, incident]));
    expect(byId.get(first)?.status).toBe("acknowledged");
    expect(byId.get(second)?.status).toBe("triggered");
    const firstMessage = byId.get(first)!.messages[0]!.id;
    const secondMessage = byId.get(second)!.messages[0]!.id;
    // The channel's one waiting delivery job lists the writes of both batches in order: the first
    // incident's message, its edit and the acknowledgement's thread reply, then the second's message.
    expect(await deliveriesFor(channelId)).toEqual([
      [
        { incidentMessageId: firstMessage, channel: channelId },
        { incidentMessageId: firstMessage, channel: channelId },
        { threadReplyId: expect.any(String), channel: channelId },
        { incidentMessageId: secondMessage, channel: channelId },
      ],
    ]);
  });

  it("takes batches in the order of the ids' numbers, also where they gain a digit", async () => {
    // The next ids are ...97 to ...02 across a power of ten (997 to 1002 from a 3-digit id), where
    // an order by the ids' text would put 1000 before 997 and step over the events below it.
    const current = await getPool().query<{ id: string }>(`SELECT COALESCE(max(id), 1)::text AS id FROM inbound_event`);
    const nextPower = 10n ** BigInt(current.rows[0]!.id.length + 1);
    await getPool().query(`SELECT setval('inbound_event_id_seq', $1::bigint)`, [(nextPower - 4n).toString()]);
    const serviceId = `PSVC${suffix()}`;
    const incidents = Array.from({ length: 6 }, () => `PINC${suffix()}`);
    const ids: string[] = [];
    for (const [index, incidentId] of incidents.entries()) {
      ids.push(await store(incidentEvent({ incidentId, serviceId, eventType: "incident.triggered", status: "triggered", occurredAt: `2026-12-05T03:0${index}:00Z` })));
    }
    expect(ids.at(0)!.length).toBeLessThan(ids.at(-1)!.length);

    const outcome = await drain({ fromId: ids[0], batchSize: 2 });
    expect(outcome.errors).toEqual([]);
    expect((await inboxRows(ids)).map((row) => [row.id, row.status])).toEqual(ids.map((id) => [id, "processed"]));
    expect(await bench.prisma.incident.count({ where: { pagerdutyIncidentId: { in: incidents } } })).toBe(6);
  });

  it("aborted drain: events stay pending", async () => {
    const serviceId = `PSVC${suffix()}`;
    const incidentId = `PINC${suffix()}`;
    const id = await store(incidentEvent({ incidentId, serviceId, eventType: "incident.triggered", status: "triggered", occurredAt: "2026-12-05T04:00:00Z" }));
    const controller = new AbortController();
    let batches = 0;

    const outcome = await drainPagerDutyEvents({
      pool: getPool(),
      log,
      maxAttempts: 12,
      fromId: id,
      signal: controller.signal,
      nextBatchSize: async (size) => {
        batches += 1;
        controller.abort();
        return size;
      },
    });

    expect(batches).toBe(1);
    expect(outcome).toEqual({ done: 0, errors: [] });
    expect((await inboxRows([id])).map((row) => row.status)).toEqual(["pending"]);
    expect(await drain({ fromId: id })).toMatchObject({ errors: [] });
    expect((await inboxRows([id])).map((row) => row.status)).toEqual(["processed"]);
  });

  it("rolls back a failing event alone", async () => {
    const serviceId = `PSVC${suffix()}`;
    const before = `PINC${suffix()}`;
    const after = `PINC${suffix()}`;
    const beforeId = await store(incidentEvent({ incidentId: before, serviceId, eventType: "incident.triggered", status: "triggered", occurredAt: "2026-12-05T02:00:00Z" }));
    // A body that is not JSON makes the event's processing throw.
    const brokenId = await store("{ not json");
    const afterId = await store(incidentEvent({ incidentId: after, serviceId, eventType: "incident.triggered", status: "triggered", occurredAt: "2026-12-05T02:01:00Z" }));

    const listed = [beforeId, brokenId, afterId];
    const first = await drain({ maxAttempts: 2, inboundEventIds: listed });
    expect(first.errors.map((error) => [error.inboundEventId, error.attempts])).toEqual([[brokenId, 1]]);
    expect(await inboxRows([beforeId, brokenId, afterId])).toEqual([
      { id: beforeId, status: "processed", attempts: 1, last_error: null },
      { id: brokenId, status: "pending", attempts: 1, last_error: expect.stringContaining("JSON") },
      { id: afterId, status: "processed", attempts: 1, last_error: null },
    ]);
    expect(await bench.prisma.incident.count({ where: { pagerdutyIncidentId: { in: [before, after] } } })).toBe(2);

    const second = await drain({ maxAttempts: 2, inboundEventIds: listed });
    expect(second.errors).toEqual([]);
    const [broken] = await inboxRows([brokenId]);
    expect(broken).toMatchObject({ status: "failed", attempts: 2 });
    expect(broken!.last_error).toMatch(/^Gave up after 2 attempts: /);
  });
});
