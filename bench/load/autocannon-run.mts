// Runs one autocannon measurement in its own process, so the load generator's CPU shows apart from
// the servers'. Usage: node --import tsx bench/load/autocannon-run.mts '<JSON LoadSpec>'. Prints one
// JSON line (LoadResult) on stdout.
import autocannon from "autocannon";
import { createSlackRequestFactory, createWebhookRequestFactory, type SignedRequest } from "../support/payloads.ts";
import { summarize } from "../support/stats.ts";
import { MEASURING_LINE, type LoadResult, type LoadSpec } from "./load-spec.ts";

const spec = JSON.parse(process.argv[2] ?? "") as LoadSpec;

function requestFactory(): () => SignedRequest {
  if (spec.request.kind === "slack") return createSlackRequestFactory({ signingSecret: spec.request.signingSecret, channelId: spec.request.channelId });
  return createWebhookRequestFactory({ secret: spec.request.secret, serviceCount: spec.request.serviceCount, runId: spec.request.runId });
}

function run(durationSeconds: number, next: () => SignedRequest, latencies?: number[]): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: durationSeconds,
        timeout: 10,
        requests: [
          {
            method: "POST",
            setupRequest: (request) => {
              const signed = next();
              return { ...request, body: signed.body, headers: { ...request.headers, ...signed.headers } };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    // autocannon's own histogram keeps whole milliseconds and only 2xx; this keeps every response.
    if (latencies) instance.on("response", (_client, _statusCode, _bytes, responseTime) => latencies.push(responseTime));
  });
}

const next = requestFactory();
const warmup = spec.warmupSeconds > 0 ? await run(spec.warmupSeconds, next) : undefined;
const warmupOk = warmup ? warmup["2xx"] : 0;

process.stdout.write(`${MEASURING_LINE}\n`);
const latencies: number[] = [];
const cpuBefore = process.cpuUsage();
const startedAt = process.hrtime.bigint();
const result = await run(spec.durationSeconds, next, latencies);
const elapsedSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
const cpu = process.cpuUsage(cpuBefore);

const non2xx = result.non2xx;
const completed = latencies.length;
const output: LoadResult = {
  url: spec.url,
  connections: spec.connections,
  durationSeconds: elapsedSeconds,
  completed,
  ok: completed - non2xx,
  warmupOk,
  non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  requestsPerSecond: (completed - non2xx) / elapsedSeconds,
  latencyMs: summarize(latencies),
  loadGeneratorCpuSeconds: (cpu.user + cpu.system) / 1e6,
  statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, (stats as { count: number }).count])),
};
process.stdout.write(`${JSON.stringify(output)}\n`);
