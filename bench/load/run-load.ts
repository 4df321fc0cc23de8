import { spawn } from "node:child_process";
import path from "node:path";
import { MEASURING_LINE, type LoadResult, type LoadSpec } from "./load-spec";

/** Runs one autocannon measurement in a child node process and returns what it measured. */
export async function runLoad(root: string, spec: LoadSpec, onMeasureStart?: () => void): Promise<LoadResult> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench", "load", "autocannon-run.mts"), JSON.stringify(spec)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (onMeasureStart && stdout.includes(MEASURING_LINE)) {
      onMeasureStart();
      onMeasureStart = undefined;
    }
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const limitMs = (spec.warmupSeconds + spec.durationSeconds + 60) * 1000;
  const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  const lastLine = stdout.trim().split("\n").at(-1);
  if (code !== 0 || !lastLine) {
    throw new Error(`The load generator for ${spec.url} exited with code ${code}${code === null ? ` (killed after ${limitMs / 1000} s)` : ""}: ${stderr.slice(-2000)}`);
  }
  return JSON.parse(lastLine) as LoadResult;
}
