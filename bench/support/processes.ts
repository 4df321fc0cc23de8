import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync, readFileSync, readdirSync } from "node:fs";

export interface StartedProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
}

/** Starts a child process whose stdout and stderr go to `logFile`, so its logs cost no pipe reads here. */
export function startProcess(input: { name: string; command: string; args: string[]; env: NodeJS.ProcessEnv; cwd: string; logFile: string }): StartedProcess {
  const fd = openSync(input.logFile, "a");
  const child = spawn(input.command, input.args, { cwd: input.cwd, env: input.env, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`Could not start ${input.name} (${input.command} ${input.args.join(" ")})`);
  return { name: input.name, child, pid: child.pid, logFile: input.logFile };
}

/** Sends SIGTERM to one process we started, and SIGKILL if it has not exited after `graceMs`. */
export async function stopProcess(started: StartedProcess, graceMs = 10_000): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Polls `url` until it responds with 2xx, failing when the process exits or the deadline passes. */
export async function waitForHttp(url: string, started: StartedProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) {
      throw new Error(`${started.name} exited with code ${started.child.exitCode} before ${url} responded. End of its log:\n${logTail(started)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${started.name} did not respond to ${url} within ${timeoutMs / 1000} s. End of its log:\n${logTail(started)}`);
}

/** Returns the last few KB of a process's log file, for error messages. */
export function logTail(started: StartedProcess, bytes = 6_000): string {
  try {
    return readFileSync(started.logFile, "utf8").slice(-bytes);
  } catch {
    return "(no log)";
  }
}

/** Returns the ids of every living descendant of `pid`, read from /proc (Linux only). */
export function descendantPids(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Field 4 is the parent id; the command name in field 2 may contain spaces, so parse after ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // The process exited while we listed it.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const [child, parent] of parentOf) {
      if (parent === current) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

export interface ProcessMemory {
  pid: number;
  command: string;
  /** VmHWM: the peak resident set size since the process started, in MiB. */
  peakRssMiB: number;
  /** VmRSS: the resident set size now, in MiB. */
  rssMiB: number;
}

/** Reads the peak and current RSS of one process from /proc/<pid>/status; undefined once it exited. */
export function readMemory(pid: number): ProcessMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    return { pid, command, peakRssMiB: kib("VmHWM") / 1024, rssMiB: kib("VmRSS") / 1024 };
  } catch {
    return undefined;
  }
}
