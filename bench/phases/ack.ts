import type { Logger } from "pino";
import type { LoadResult } from "../load/load-spec";
import { runLoad } from "../load/run-load";
import { cpuSince, machineBusySeconds, readCpu, withRestOfMachine } from "../support/cpu";
import { benchProcessGroups, type BenchStack } from "../support/stack";
import { waitForQueueDrain } from "../support/queue";

export type AckTargetKey = "switchboard" | "switchboard_paused" | "next" | "node" | "bolt";

export const ACK_TARGET_LABELS: Record<AckTargetKey, string> = {
  switchboard: "Switchboard /api/slack/interactions",
  switchboard_paused: "Switchboard, worker paused (ack path alone)",
  next: "Next.js floor (route handler)",
  node: "node floor (node:http)",
  bolt: "Bolt (HTTPReceiver)",
};

export interface AckMeasurement {
  run: number;
  target: AckTargetKey;
  connections: number;
  load: LoadResult;
  /** Rows the target stored during the run: equals load.ok when every acknowledged request was stored. */
  stored: number;
  /** Switchboard only: jobs still queued when the load stopped, and how long the worker then took to finish them. */
  backlogAtEnd?: number;
  drainSeconds?: number;
  /**
   * CPU seconds used from the end of the warm-up until the load stopped (and, for Switchboard, its
   * worker finished), by process group, plus "load generator" and "rest of machine".
   */
  cpuSeconds: Record<string, number>;
}

interface AckTarget {
  key: AckTargetKey;
  url: string;
  countStored: () => Promise<number>;
  /** Stops Switchboard's worker for the run, so the ack path is measured without the work it queues. */
  pauseWorker?: boolean;
}

function ackTargets(stack: BenchStack): AckTarget[] {
  const countFloor = (floor: string) => async () =>
    Number((await stack.pool.query<{ count: string }>(`SELECT count(*) FROM bench.floor_event WHERE floor = $1`, [floor])).rows[0]!.count);
  const countInbox = async () => Number((await stack.pool.query<{ count: string }>(`SELECT count(*) FROM inbound_event WHERE source = 'slack_interaction'`)).rows[0]!.count);
  return [
    { key: "switchboard", url: `${stack.switchboard.url}/api/slack/interactions`, countStored: countInbox },
    { key: "switchboard_paused", url: `${stack.switchboard.url}/api/slack/interactions`, countStored: countInbox, pauseWorker: true },
    { key: "next", url: `${stack.floors.next.url}/api/slack`, countStored: countFloor("next-slack") },
    { key: "node", url: `${stack.floors.node.url}/slack`, countStored: countFloor("node-slack") },
    { key: "bolt", url: `${stack.floors.bolt.url}/slack/events`, countStored: countFloor("bolt-slack") },
  ];
}

/**
 * Measures the ack of signed block_actions at each concurrency, for Switchboard and the three
 * floors in turn, `runs` times. Each measurement starts after its own warm-up. After Switchboard's,
 * the harness waits until its worker has finished the queued jobs, so that work does not run
 * during the next target's measurement.
 */
export async function measureAck(input: {
  stack: BenchStack;
  runs: number;
  connections: number[];
  warmupSeconds: number;
  durationSeconds: number;
  log: Logger;
}): Promise<AckMeasurement[]> {
  const { stack, log } = input;
  const channelId = stack.channels[0]!.id;
  const measurements: AckMeasurement[] = [];
  for (let run = 1; run <= input.runs; run++) {
    for (const connections of input.connections) {
      for (const target of ackTargets(stack)) {
        const before = await target.countStored();
        const groups = benchProcessGroups(stack);
        let cpuBefore: Record<string, number> = {};
        let busyBefore = 0;
        // SIGSTOP freezes the launcher, which runs the worker; the Next.js server is its own process
        // and keeps serving requests. Jobs wait in the queue and run after SIGCONT.
        if (target.pauseWorker) process.kill(stack.switchboard.launcher.pid, "SIGSTOP");
        const load = await runLoad(stack.root, {
          url: target.url,
          connections,
          warmupSeconds: input.warmupSeconds,
          durationSeconds: input.durationSeconds,
          request: { kind: "slack", signingSecret: stack.secrets.slackSigningSecret, channelId },
        }, () => {
          cpuBefore = readCpu(groups);
          busyBefore = machineBusySeconds();
        }).finally(() => {
          if (target.pauseWorker) process.kill(stack.switchboard.launcher.pid, "SIGCONT");
        });
        const cpuAfterLoad = readCpu(groups);
        const busyAfterLoad = machineBusySeconds();
        const measurement: AckMeasurement = { run, target: target.key, connections, load, stored: 0, cpuSeconds: {} };
        if (target.key === "switchboard" || target.key === "switchboard_paused") {
          const drain = await waitForQueueDrain(stack.pool, 600_000);
          measurement.backlogAtEnd = drain.backlogAtStart;
          measurement.drainSeconds = drain.seconds;
        }
        // With the worker running, its CPU belongs to the run, so the reading waits for the drain.
        // With the worker paused, the reading stops with the load: it is the ack path's alone.
        measurement.cpuSeconds = target.pauseWorker
          ? withRestOfMachine(cpuSince(cpuBefore, cpuAfterLoad), busyAfterLoad - busyBefore, load.loadGeneratorCpuSeconds)
          : withRestOfMachine(cpuSince(cpuBefore, readCpu(groups)), machineBusySeconds() - busyBefore, load.loadGeneratorCpuSeconds);
        // The warm-up stores rows too; count only those of the measured period.
        measurement.stored = (await target.countStored()) - before - load.warmupOk;
        measurements.push(measurement);
        log.info(
          { run, target: target.key, connections, rps: Math.round(load.requestsPerSecond), p99: load.latencyMs.p99, non2xx: load.non2xx, errors: load.errors },
          "Ack measured",
        );
      }
    }
  }
  return measurements;
}
