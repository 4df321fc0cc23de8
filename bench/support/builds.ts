import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";

/** Newest modification time (ms) of the files under `entries`, skipping generated code and dependencies. */
function newestSourceTime(root: string, entries: string[]): number {
  let newest = 0;
  const visit = (entry: string) => {
    if (!existsSync(entry)) return;
    const stats = statSync(entry);
    if (!stats.isDirectory()) {
      newest = Math.max(newest, stats.mtimeMs);
      return;
    }
    for (const child of readdirSync(entry)) {
      if (child !== "generated" && child !== "node_modules" && child !== ".next") visit(path.join(entry, child));
    }
  };
  for (const entry of entries) visit(path.join(root, entry));
  return newest;
}

/** The inputs of Switchboard's build, as the launcher's `demo` mode counts them. */
const APP_SOURCES = ["app", "components", "lib", "public", "next.config.mjs", "package-lock.json", "postcss.config.mjs"];
const FLOOR_DIR = path.join("bench", "floors", "next-floor");

export function isBuildStale(root: string, projectDir: string, sources: string[]): boolean {
  const buildId = path.join(root, projectDir, ".next", "BUILD_ID");
  return !existsSync(buildId) || statSync(buildId).mtimeMs < newestSourceTime(root, sources);
}

/**
 * Builds Switchboard and the Next.js floor app when a build is missing or older than its sources.
 * With `skipStale`, an existing build is used even when stale, and only a missing one is built.
 */
export function ensureBuilds(input: { root: string; skipStale: boolean; log: Logger }): { switchboardBuilt: boolean; floorBuilt: boolean } {
  const { root, log } = input;
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const build = (name: string, projectDir: string, sources: string[]): boolean => {
    const missing = !existsSync(path.join(root, projectDir, ".next", "BUILD_ID"));
    if (!missing && (input.skipStale || !isBuildStale(root, projectDir, sources))) return false;
    log.info({ project: name }, missing ? "No build found; running next build" : "Build is older than its sources; running next build");
    const args = projectDir === "." ? [next, "build"] : [next, "build", projectDir];
    // The build's type check adds nothing to a measurement; `npm run typecheck` covers the types.
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", SKIP_BUILD_TYPECHECK: "1" } });
    if (result.status !== 0) throw new Error(`next build of ${name} failed; see the output above.`);
    return true;
  };
  const switchboardBuilt = build("Switchboard", ".", APP_SOURCES);
  const floorBuilt = build("the Next.js floor", FLOOR_DIR, [FLOOR_DIR, path.join("bench", "floors", "ack-core.mjs")]);
  return { switchboardBuilt, floorBuilt };
}
