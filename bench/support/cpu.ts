import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { descendantPids } from "./processes";

const CLOCK_TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/**
 * CPU time (user + system, seconds) used so far by each living process in `pids` and by the
 * children each has reaped, summed. PostgreSQL ends a backend when its connection closes, and the
 * postmaster's reaped-children time keeps that backend's CPU in the count.
 */
export function cpuSeconds(pids: readonly number[], { reapedChildren = true } = {}): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // After the command name, state is field 3 of stat(5), and utime, stime, cutime and cstime
      // are fields 14 to 17.
      ticks += Number(fields[11]) + Number(fields[12]);
      if (reapedChildren) ticks += Number(fields[13]) + Number(fields[14]);
    } catch {
      // The process has exited, so its time is counted in its parent's reaped-children time.
    }
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** Ids of this process's descendants whose command name is "postgres": the embedded server. */
export function postgresPids(): number[] {
  return descendantPids(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres";
    } catch {
      return false;
    }
  });
}

/** Lists every process id on the machine, for the share of CPU the rest of the machine used. */
export function allPids(): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/**
 * Named groups of processes whose CPU is counted together. A group given as `own` counts its
 * processes without the children they reaped: the harness reaps the load generator, which is
 * counted apart.
 */
export type ProcessGroups = Record<string, (() => number[]) | { own: () => number[] }>;

/** Takes a CPU reading of each group; `since` turns two readings into the seconds used between them. */
export function readCpu(groups: ProcessGroups): Record<string, number> {
  return Object.fromEntries(
    Object.entries(groups).map(([name, group]) => [
      name,
      typeof group === "function" ? cpuSeconds(group()) : cpuSeconds(group.own(), { reapedChildren: false }),
    ]),
  );
}

export function cpuSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, value]) => [name, value - (before[name] ?? 0)]));
}

/** CPU time (seconds) that the whole machine spent busy so far, from the first line of /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [, ...values] = line.trim().split(/\s+/);
  const ticks = values.map(Number);
  // user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
  const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return (total - (ticks[3] ?? 0) - (ticks[4] ?? 0)) / CLOCK_TICKS_PER_SECOND;
}

/** Adds the load generator's CPU and what the rest of the machine used (other programs, the kernel). */
export function withRestOfMachine(groups: Record<string, number>, machineBusy: number, loadGenerator: number): Record<string, number> {
  const known = Object.values(groups).reduce((sum, value) => sum + value, 0) + loadGenerator;
  return { ...groups, "load generator": loadGenerator, "rest of machine": Math.max(0, machineBusy - known) };
}
