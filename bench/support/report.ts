import { ACK_TARGET_LABELS, type AckMeasurement, type AckTargetKey } from "../phases/ack";
import type { BurstDelivery, SteadyDelivery } from "../phases/delivery";
import { INGEST_TARGET_LABELS, type IngestMeasurement, type IngestTargetKey } from "../phases/ingest";
import type { FirstLoadJs, PageRender } from "../phases/pages";
import type { ProcessMemory } from "./processes";

export interface MachineInfo {
  date: string;
  command: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  next: string;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
  loadGenerator: string;
}

export interface BenchResults {
  machine: MachineInfo;
  settings: Record<string, unknown>;
  ack: AckMeasurement[];
  ingest: IngestMeasurement[];
  steady: SteadyDelivery[];
  burst: BurstDelivery[];
  pages: { renders: PageRender[]; firstLoad: FirstLoadJs[]; dynamicRoutes: string[] } | null;
  memory: { group: string; processes: ProcessMemory[] }[];
}

/** Targets from the issue that the benchmark checks. */
export const TARGETS = {
  ackP99VersusNextFloor: 1.5,
  ingestRateVersusNextFloor: 0.6,
  steadyPostP50Ms: 50,
  steadyPostP99Ms: 250,
  firstLoadJsGzipBytes: 150 * 1000,
  extensionsRenderMs: 200,
  peakRssMiB: 400 * 1000 * 1000 / (1024 * 1024),
} as const;

const number = (value: number | undefined, digits = 0) =>
  value === undefined || Number.isNaN(value) ? "–" : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Joins one figure of each run: "541 / 560". */
function perRun<T>(items: T[], format: (item: T) => string): string {
  return items.length === 0 ? "–" : items.map(format).join(" / ");
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

function ratio(value: number, base: number | undefined): string {
  return base === undefined || base === 0 || Number.isNaN(base) ? "–" : `${(value / base).toFixed(2)}×`;
}

/** CPU milliseconds per 2xx response, for the groups that used a noticeable share. */
function cpuPerRequest(cpuSeconds: Record<string, number>, requests: number): string {
  if (requests === 0) return "–";
  return Object.entries(cpuSeconds)
    .filter(([, seconds]) => (seconds * 1000) / requests >= 0.05)
    .map(([name, seconds]) => `${name} ${((seconds * 1000) / requests).toFixed(2)}`)
    .join(", ");
}

export function ackSection(ack: AckMeasurement[]): string {
  const connectionsList = [...new Set(ack.map((item) => item.connections))];
  const targets = [...new Set(ack.map((item) => item.target))] as AckTargetKey[];
  const sections: string[] = [];
  for (const connections of connectionsList) {
    const at = (target: AckTargetKey) => ack.filter((item) => item.connections === connections && item.target === target);
    const base = (target: AckTargetKey, run: number) => at(target).find((item) => item.run === run);
    const rows = targets.map((target) => {
      const items = at(target);
      return [
        ACK_TARGET_LABELS[target],
        perRun(items, (item) => number(item.load.requestsPerSecond)),
        perRun(items, (item) => number(item.load.latencyMs.p50, 1)),
        perRun(items, (item) => number(item.load.latencyMs.p99, 1)),
        perRun(items, (item) => number(item.load.latencyMs.max, 0)),
        perRun(items, (item) => number(item.load.non2xx + item.load.errors)),
        perRun(items, (item) => (item.stored >= item.load.ok ? "yes" : `${item.load.ok - item.stored} missing`)),
        perRun(items, (item) => ratio(item.load.latencyMs.p99, base("next", item.run)?.load.latencyMs.p99)),
        perRun(items, (item) => ratio(item.load.requestsPerSecond, base("next", item.run)?.load.requestsPerSecond)),
        perRun(items, (item) => ratio(item.load.latencyMs.p99, base("node", item.run)?.load.latencyMs.p99)),
        perRun(items, (item) => ratio(item.load.requestsPerSecond, base("node", item.run)?.load.requestsPerSecond)),
      ];
    });
    sections.push(
      `#### Concurrency ${connections}\n\n` +
        table(
          ["target", "req/s", "p50 ms", "p99 ms", "max ms", "non-2xx + errors", "all 2xx stored", "p99 ÷ Next floor", "req/s ÷ Next floor", "p99 ÷ node floor", "req/s ÷ node floor"],
          rows,
        ),
    );
    const cpuRows = targets.flatMap((target) => at(target).map((item) => [ACK_TARGET_LABELS[target], String(item.run), cpuPerRequest(item.cpuSeconds, item.load.ok)]));
    sections.push(`CPU per acknowledged request, in ms (run by run):\n\n${table(["target", "run", "CPU ms per request, by process"], cpuRows)}`);
    const drains = at("switchboard").filter((item) => item.backlogAtEnd !== undefined);
    if (drains.length > 0) {
      sections.push(
        `Switchboard's worker ran during its measurement; jobs still queued when the load stopped: ${perRun(drains, (item) => number(item.backlogAtEnd))}, ` +
          `finished after ${perRun(drains, (item) => `${number(item.drainSeconds, 1)} s`)}.`,
      );
    }
    const paused = at("switchboard_paused").filter((item) => item.backlogAtEnd !== undefined);
    if (paused.length > 0) {
      sections.push(
        `With the worker paused, ${perRun(paused, (item) => number(item.backlogAtEnd))} jobs waited; the worker finished them ${perRun(paused, (item) => `${number(item.drainSeconds, 1)} s`)} after it resumed.`,
      );
    }
  }
  return sections.join("\n\n");
}

export function ingestSection(ingest: IngestMeasurement[]): string {
  const targets = [...new Set(ingest.map((item) => item.target))] as IngestTargetKey[];
  const at = (target: IngestTargetKey) => ingest.filter((item) => item.target === target);
  const base = (run: number) => at("next").find((item) => item.run === run);
  const rows = targets.map((target) => {
    const items = at(target);
    return [
      INGEST_TARGET_LABELS[target],
      perRun(items, (item) => number(item.load.requestsPerSecond)),
      perRun(items, (item) => number(item.load.latencyMs.p99, 1)),
      perRun(items, (item) => number(item.load.non2xx + item.load.errors)),
      perRun(items, (item) => `${number(item.stored)} of ${number(item.accepted)}`),
      perRun(items, (item) => (item.delivered === undefined ? "–" : `${number(item.delivered)}, ${number(item.duplicates)} twice`)),
      perRun(items, (item) => (item.drainSeconds === undefined ? "–" : `${number(item.drainSeconds, 1)} s`)),
      perRun(items, (item) => ratio(item.load.requestsPerSecond, base(item.run)?.load.requestsPerSecond)),
      perRun(items, (item) => cpuPerRequest(item.cpuSeconds, item.load.ok)),
    ];
  });
  return table(["target", "accepted/s", "p99 ms", "non-2xx + errors", "stored of accepted", "posted to Slack", "posting finished after load", "rate ÷ Next floor", "CPU ms per webhook"], rows);
}

export function deliverySection(steady: SteadyDelivery[], burst: BurstDelivery[]): string {
  const label = { webhook_to_post: "webhook sent → chat.postMessage arrives", press_to_update: "button press → chat.update arrives" } as const;
  const kinds = [...new Set(steady.map((item) => item.kind))];
  const steadyRows = kinds.map((kind) => {
    const items = steady.filter((item) => item.kind === kind);
    return [
      `${label[kind]}, ${items[0]?.ratePerSecond ?? "?"}/s over 50 channels`,
      perRun(items, (item) => number(item.latencyMs.p50, 0)),
      perRun(items, (item) => number(item.latencyMs.p99, 0)),
      perRun(items, (item) => number(item.latencyMs.max, 0)),
      perRun(items, (item) => `${number(item.delivered)} of ${number(item.sent)}`),
      perRun(items, (item) => number(item.duplicates)),
    ];
  });
  const burstRows = burst.map((item) => [
    String(item.run),
    `${number(item.incidents)} over ${item.channels} channels`,
    `${number(item.delivered)} of ${number(item.incidents)}`,
    number(item.duplicates),
    number(item.rateLimited),
    `${number(item.totalSeconds, 1)} s`,
    `${number(item.minimumSeconds, 1)} s`,
    number(item.latencyMs.p50),
    number(item.latencyMs.p99),
    cpuPerRequest(item.cpuSeconds, item.incidents),
  ]);
  return [
    table(["measurement", "p50 ms", "p99 ms", "max ms", "delivered", "posted twice / not updated"], steadyRows),
    "Burst with the fake enforcing Slack's limit (3 at once per channel, then 1 per second, 429 with Retry-After beyond):",
    table(["run", "incidents", "posted", "posted twice", "429 responses", "first webhook → last message", "minimum the limit allows", "p50 ms", "p99 ms", "CPU ms per incident"], burstRows),
  ].join("\n\n");
}

export function memorySection(memory: BenchResults["memory"]): string {
  const rows = memory.flatMap(({ group, processes }) =>
    processes.map((process) => {
      // Paths inside the repository are shown from its root, so runs from different folders read alike.
      const command = process.command.replace(/\S*\/(scripts|bench|node_modules)\//g, "$1/");
      return [group, command.length > 70 ? `${command.slice(0, 67)}…` : command, number(process.peakRssMiB, 0)];
    }),
  );
  return table(["server", "process", "peak RSS MiB (VmHWM)"], rows);
}

export function pagesSection(pages: BenchResults["pages"]): string {
  if (!pages) return "Not measured in this run.";
  const routes = [...new Set(pages.renders.map((item) => item.route))];
  const renderRows = routes.map((route) => {
    const items = pages.renders.filter((item) => item.route === route);
    if (items.every((item) => item.renderMs === undefined)) return [route, items[0]!.dataset, "not built yet", "", "", ""];
    return [
      route,
      items[0]!.dataset,
      perRun(items, (item) => `${number(item.renderMs?.p50, 0)} (${item.status ?? "–"})`),
      perRun(items, (item) => number(item.renderMs?.max, 0)),
      perRun(items, (item) => `${number(item.dataMs?.p50, 0)} (${item.dataStatus ?? "–"})`),
      perRun(items, (item) => number(item.dataTotal)),
    ];
  });
  const jsRows = pages.firstLoad.map((item) => [item.route, String(item.status), String(item.scripts), number(item.gzipBytes / 1000, 1)]);
  const dynamic = pages.dynamicRoutes.length > 0 ? `\n\nDynamic routes not measured: ${pages.dynamicRoutes.join(", ")}.` : "";
  const shared = pages.firstLoad.length === 0 ? [] : pages.firstLoad[0]!.files.filter((file) => pages.firstLoad.every((route) => route.files.some((other) => other.src === file.src)));
  const sharedNote =
    shared.length === 0
      ? ""
      : `\n\nLoaded by every page: ${shared.length} scripts, ${number(shared.reduce((sum, file) => sum + file.gzipBytes, 0) / 1000, 1)} kB gzipped; the largest: ` +
        [...shared]
          .sort((a, b) => b.gzipBytes - a.gzipBytes)
          .slice(0, 4)
          .map((file) => `\`${file.src.split("/").at(-1)}\` ${number(file.gzipBytes / 1000, 1)} kB`)
          .join(", ") +
        ".";
  return [
    table(["route", "data", "HTML with the first 25 rows, p50 ms (status)", "HTML, slowest ms", "the same rows as JSON, p50 ms (status)", "rows the server counted"], renderRows),
    `First-load JavaScript (gzipped script files the HTML loads, signed in as an owner):\n\n${table(["route", "status", "scripts", "kB gzipped"], jsRows)}${sharedNote}${dynamic}`,
  ].join("\n\n");
}

/** Lists one line per target of the issue, with each run's figure and whether it met the target. */
export function targetsSection(results: BenchResults): string {
  const lines: string[] = [];
  const verdict = (values: boolean[]) => (values.length === 0 ? "not measured" : values.every(Boolean) ? "met" : values.some(Boolean) ? "met in some runs" : "missed");
  const ack32 = results.ack.filter((item) => item.connections === 32);
  const ackRatios = (target: AckTargetKey) =>
    ack32
      .filter((item) => item.target === target)
      .map((item) => item.load.latencyMs.p99 / (ack32.find((base) => base.target === "next" && base.run === item.run)?.load.latencyMs.p99 ?? Number.NaN));
  for (const target of ["switchboard", "switchboard_paused"] as const) {
    const ratios = ackRatios(target);
    lines.push(`- Ack p99 at c=32 ≤ ${TARGETS.ackP99VersusNextFloor} × Next floor, ${ACK_TARGET_LABELS[target]}: ${perRun(ratios, (value) => `${value.toFixed(2)}×`)}, ${verdict(ratios.map((value) => value <= TARGETS.ackP99VersusNextFloor))}.`);
  }

  for (const target of ["switchboard", "switchboard_paused"] as const) {
    const sbIngest = results.ingest.filter((item) => item.target === target);
    if (sbIngest.length === 0) continue;
    const ingestRatios = sbIngest.map((item) => item.load.requestsPerSecond / (results.ingest.find((base) => base.target === "next" && base.run === item.run)?.load.requestsPerSecond ?? Number.NaN));
    const noLoss = sbIngest.map((item) => item.stored >= item.accepted && (item.delivered ?? 0) >= item.stored && item.duplicates === 0);
    lines.push(
      `- Ingest ≥ ${TARGETS.ingestRateVersusNextFloor * 100} % of the Next floor's rate, ${INGEST_TARGET_LABELS[target]}: ${perRun(ingestRatios, (value) => `${Math.round(value * 100)} %`)}, ${verdict(ingestRatios.map((value) => value >= TARGETS.ingestRateVersusNextFloor))}; ` +
        `zero loss and no duplicates: ${verdict(noLoss)}.`,
    );
  }

  const posts = results.steady.filter((item) => item.kind === "webhook_to_post");
  lines.push(
    `- Webhook → message at 20/s: p50 < ${TARGETS.steadyPostP50Ms} ms (${perRun(posts, (item) => number(item.latencyMs.p50))}) and p99 < ${TARGETS.steadyPostP99Ms} ms (${perRun(posts, (item) => number(item.latencyMs.p99))}): ` +
      `${verdict(posts.map((item) => item.latencyMs.p50 < TARGETS.steadyPostP50Ms && item.latencyMs.p99 < TARGETS.steadyPostP99Ms && item.delivered === item.sent))}.`,
  );
  lines.push(
    `- Burst of ${results.burst[0]?.incidents ?? "?"} fully delivered, none twice: ${verdict(results.burst.map((item) => item.delivered === item.incidents && item.duplicates === 0))}; ` +
      `time ${perRun(results.burst, (item) => `${number(item.totalSeconds, 1)} s`)} against a minimum of ${number(results.burst[0]?.minimumSeconds, 1)} s.`,
  );

  if (results.pages) {
    const heavy = results.pages.firstLoad.filter((item) => item.gzipBytes >= TARGETS.firstLoadJsGzipBytes);
    lines.push(
      `- First-load JavaScript < 150 kB gzipped per page: ${results.pages.firstLoad.length === 0 ? "not measured" : heavy.length === 0 ? "met" : `missed on ${heavy.map((item) => item.route).join(", ")}`} ` +
        `(largest ${number(Math.max(...results.pages.firstLoad.map((item) => item.gzipBytes)) / 1000, 1)} kB).`,
    );
    const extensions = results.pages.renders.filter((item) => item.route === "/extensions" && item.renderMs);
    // The list pages render their first rows into the HTML, so the HTML's time is the page's.
    const serverMs = (item: PageRender) => item.renderMs?.p50 ?? Infinity;
    lines.push(
      `- Extensions page with 1,000 extensions < ${TARGETS.extensionsRenderMs} ms on the server (HTML with the first rows): ${extensions.length === 0 ? "not built yet" : `${perRun(extensions, (item) => `${number(serverMs(item))} ms`)}, ${verdict(extensions.map((item) => serverMs(item) < TARGETS.extensionsRenderMs))}`}.`,
    );
  }
  const processes = results.memory.flatMap(({ group, processes: list }) => list.map((process) => ({ group, process })));
  const over = processes.filter(({ process }) => process.peakRssMiB >= TARGETS.peakRssMiB);
  const largest = Math.max(...processes.map(({ process }) => process.peakRssMiB));
  lines.push(
    `- Peak RSS < 400 MB (${number(TARGETS.peakRssMiB, 0)} MiB) per server process: largest ${number(largest, 0)} MiB, ` +
      (over.length === 0 ? "met." : `missed by ${over.map(({ group, process }) => `${group} ${process.command.split(" ")[0]} (${number(process.peakRssMiB, 0)} MiB)`).join(", ")}.`),
  );
  return lines.join("\n");
}

export function renderReport(results: BenchResults): string {
  const { machine } = results;
  return [
    `Run on ${machine.date} with \`${machine.command}\`: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; Node ${machine.node}, ${machine.postgres}, Next.js ${machine.next}. ` +
      `Load average (1, 5, 15 min) before: ${machine.loadAverageBefore.map((value) => value.toFixed(2)).join(", ")}; after: ${machine.loadAverageAfter.map((value) => value.toFixed(2)).join(", ")}. ` +
      `Load generator: ${machine.loadGenerator}. Figures are "run 1 / run 2".`,
    `Settings: ${Object.entries(results.settings).map(([key, value]) => `${key} ${String(value)}`).join(", ")}.`,
    "### Targets",
    targetsSection(results),
    "### Ack latency: signed block_actions",
    ackSection(results.ack),
    "### Webhook ingest: signed incident.triggered webhooks",
    ingestSection(results.ingest),
    "### Delivery latency",
    deliverySection(results.steady, results.burst),
    "### Memory",
    memorySection(results.memory),
    "### Pages",
    pagesSection(results.pages),
  ].join("\n\n");
}
