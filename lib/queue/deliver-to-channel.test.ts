import { randomUUID } from "node:crypto";
import type { JobHelpers } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/client";
import { createTestIncident, startChannelBench, type ChannelBench } from "../incident-channels/testing";
import { TASKS } from "./jobs";
import { taskList } from "./tasks";

let bench: ChannelBench;

beforeAll(async () => {
  bench = await startChannelBench();
}, 60_000);

afterAll(async () => {
  await bench?.close();
});

/** Builds the part of graphile-worker's job helpers that the delivery task reads. */
function helpersFor(attempts: number): JobHelpers {
  return { job: { id: "1", task_identifier: TASKS.deliverToChannel, attempts, max_attempts: 12 } } as unknown as JobHelpers;
}

async function jobsWithKey(key: string): Promise<{ task_identifier: string; queue_name: string | null }[]> {
  const rows = await getPool().query(`SELECT task_identifier, queue_name FROM graphile_worker.jobs WHERE key = $1`, [key]);
  return rows.rows;
}

describe("deliver_to_channel", () => {
  it("queues a failing write on its own", async () => {
    const channel = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    const incident = await createTestIncident(bench.prisma);
    // A message not posted yet: its thread reply cannot be posted, and the reply's write throws.
    const message = await bench.prisma.incidentMessage.create({ data: { incidentId: incident.id, workspaceId: bench.workspace.id, slackChannelId: channel } });
    const reply = await bench.prisma.threadReply.create({ data: { incidentMessageId: message.id, sourceEventId: `event-${randomUUID()}`, text: "Acknowledged" } });

    await taskList[TASKS.deliverToChannel]!(
      [
        { threadReplyId: reply.id, channel },
        { incidentMessageId: randomUUID(), channel },
        { threadReplyId: reply.id, channel },
      ],
      helpersFor(1),
    );

    expect(await jobsWithKey(`reply:${reply.id}`)).toEqual([{ task_identifier: TASKS.postThreadReply, queue_name: `channel-${channel}` }]);
    const stored = await bench.prisma.threadReply.findUniqueOrThrow({ where: { id: reply.id } });
    expect(stored.status).toBe("pending");
  });

  it("rejects a payload that is not a list of writes", async () => {
    await expect(taskList[TASKS.deliverToChannel]!({ incidentMessageId: randomUUID() }, helpersFor(1))).rejects.toThrow();
  });
});
