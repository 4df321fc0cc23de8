import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { LoadResult } from "../load/load-spec";
import { runLoad } from "../load/run-load";
import { cpuSince, machineBusySeconds, readCpu, withRestOfMachine } from "../support/cpu";
import { clearCalls, clearMessages, listCalls, postsByIncident } from "../support/fake-slack-calls";
import { benchIncidentId } from "../support/payloads";
import { waitForQueueDrain } from "../support/queue";
import { benchProcessGroups, type BenchStack } from "../support/stack";

export type IngestTargetKey = "switchboard" | "switchboard_paused" | "next" | "node";

export const INGEST_TARGET_LABELS: Record<IngestTargetKey, string> = {
  switchboard: "Switchboard /api/pagerduty/webhooks",
  switchboard_paused: "Switchboard, worker paused during the load (ack path alone)",
  next: "Next.js floor (route handler)",
  node: "node floor (node:http)",
};

export interface IngestMeasurement {
  run: number;
  target: IngestTargetKey;
  load: LoadResult;
  /** Webhooks that got a 2xx response, warm-up included: every one of them must be stored. */
  accepted: number;
  stored: number;
  /** Switchboard only: incidents whose message reached the fake Slack, and how many were posted twice. */
  delivered?: number;
  duplicates?: number;
  /** Switchboard only: seconds from the end of the load until the last message was posted. */
  drainSeconds?: number;
  cpuSeconds: Record<string, number>;
}

/**
 * Signed incident.triggered webhooks at `connections` concurrent connections, each for a new
 * incident spread over the benchmark's services. For Switchboard it then waits until the worker has
 * delivered everything and checks for loss: every accepted webhook stored, every stored incident
 * posted once at the fake Slack. Switchboard is measured twice, as for acks: with its worker running,
 * and with the launcher (which runs the worker) stopped by SIGSTOP for the load and resumed after.
 */
export async function measureIngest(input: {
  stack: BenchStack;
  runs: number;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  log: Logger;
}): Promise<IngestMeasurement[]> {
  const { stack, log } = input;
  const countSwitchboard = (runId: string) =>
    count(stack, `SELECT count(*) FROM inbound_event WHERE source = 'pagerduty_webhook' AND external_id LIKE $1`, [`${runId}-%`]);
  const targets: { key: IngestTargetKey; url: string; pauseWorker?: boolean; countStored: (runId: string) => Promise<number> }[] = [
    { key: "switchboard", url: `${stack.switchboard.url}/api/pagerduty/webhooks`, countStored: countSwitchboard },
    { key: "switchboard_paused", url: `${stack.switchboard.url}/api/pagerduty/webhooks`, pauseWorker: true, countStored: countSwitchboard },
    { key: "next", url: `${stack.floors.next.url}/api/pagerduty`, countStored: (runId) => count(stack, `SELECT count(*) FROM bench.floor_event WHERE floor = 'next-pagerduty' AND external_id LIKE $1`, [`${runId}-%`]) },
    { key: "node", url: `${stack.floors.node.url}/pagerduty`, countStored: (runId) => count(stack, `SELECT count(*) FROM bench.floor_event WHERE floor = 'node-pagerduty' AND external_id LIKE $1`, [`${runId}-%`]) },
  ];

  const measurements: IngestMeasurement[] = [];
  for (let run = 1; run <= input.runs; run++) {
    for (const target of targets) {
      const runId = randomBytes(3).toString("hex");
      const isSwitchboard = target.key === "switchboard" || target.key === "switchboard_paused";
      if (isSwitchboard) await clearCalls(stack.slack.url);
      const groups = benchProcessGroups(stack);
      let cpuBefore: Record<string, number> = {};
      let busyBefore = 0;
      if (target.pauseWorker) process.kill(stack.switchboard.launcher.pid, "SIGSTOP");
      const load = await runLoad(
        stack.root,
        {
          url: target.url,
          connections: input.connections,
          warmupSeconds: input.warmupSeconds,
          durationSeconds: input.durationSeconds,
          request: { kind: "pagerduty", secret: stack.secrets.pagerdutyWebhookSecret, serviceCount: stack.channels.length, runId },
        },
        () => {
          cpuBefore = readCpu(groups);
          busyBefore = machineBusySeconds();
        },
      ).finally(() => {
        if (target.pauseWorker) process.kill(stack.switchboard.launcher.pid, "SIGCONT");
      });
      const loadEndedAt = Date.now();
      const measurement: IngestMeasurement = { run, target: target.key, load, accepted: load.ok + load.warmupOk, stored: 0, cpuSeconds: {} };
      if (isSwitchboard) {
        await waitForQueueDrain(stack.pool, 600_000);
        const posts = postsByIncident(await listCalls(stack.slack.url, "chat.postMessage"));
        const prefix = benchIncidentId(runId, 0).slice(0, -6);
        const ours = [...posts.entries()].filter(([incidentId]) => incidentId.startsWith(prefix));
        measurement.delivered = ours.length;
        measurement.duplicates = ours.filter(([, list]) => list.length > 1).length;
        const lastPost = Math.max(...ours.map(([, list]) => Date.parse(list[0]!.time)));
        measurement.drainSeconds = Math.max(0, (lastPost - loadEndedAt) / 1000);
      }
      measurement.cpuSeconds = withRestOfMachine(cpuSince(cpuBefore, readCpu(groups)), machineBusySeconds() - busyBefore, load.loadGeneratorCpuSeconds);
      measurement.stored = await target.countStored(runId);
      if (isSwitchboard) {
        await clearCalls(stack.slack.url);
        await clearMessages(stack.slack.url);
      }
      measurements.push(measurement);
      log.info(
        { run, target: target.key, rps: Math.round(load.requestsPerSecond), p99: load.latencyMs.p99, accepted: measurement.accepted, stored: measurement.stored, delivered: measurement.delivered },
        "Ingest measured",
      );
    }
  }
  return measurements;
}

async function count(stack: BenchStack, sql: string, values: unknown[]): Promise<number> {
  const result = await stack.pool.query<{ count: string }>(sql, values);
  return Number(result.rows[0]!.count);
}
