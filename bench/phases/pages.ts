import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Logger } from "pino";
import { hashPassword } from "../../lib/auth/password";
import { SLACK_TEAM } from "../../sandbox/seed";
import { PRESSING_PERSON, type BenchStack } from "../support/stack";
import { summarize, type LatencySummary } from "../support/stats";

/** The admin who signs in to the pages: the seeded PagerDuty owner, so the role check passes. */
const ADMIN_PASSWORD = "bench correct horse battery staple";

export interface PageRender {
  run: number;
  route: string;
  /** Data the page was measured with, e.g. "1,000 extensions". */
  dataset: string;
  /** Server render of the page's HTML; missing when the route does not exist in the build. */
  renderMs?: LatencySummary;
  status?: number;
  /** The JSON route that returns the same first rows as the page's HTML. */
  dataPath?: string;
  dataMs?: LatencySummary;
  dataStatus?: number;
  /** `total` in the data response: the rows the server counted, which should be the seeded number. */
  dataTotal?: number;
}

export interface FirstLoadJs {
  route: string;
  status: number;
  scripts: number;
  /** Sum of the gzipped sizes of the script files the route's HTML loads, in bytes. */
  gzipBytes: number;
  files: { src: string; gzipBytes: number }[];
}

/** Page routes of the built app (route handlers and dynamic segments left out), from Next's manifests. */
export function builtPageRoutes(root: string): { pages: string[]; dynamic: string[] } {
  const manifestFile = path.join(root, ".next", "app-path-routes-manifest.json");
  const routes = existsSync(manifestFile)
    ? Object.entries(JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, string>).filter(([entry]) => entry.endsWith("/page")).map(([, route]) => route)
    : [];
  const pages = [...new Set(routes)].filter((route) => !route.startsWith("/_") && !route.startsWith("/api/")).sort();
  return { pages: pages.filter((route) => !route.includes("[")), dynamic: pages.filter((route) => route.includes("[")) };
}

/** Creates the admin web user and signs in through next-auth's credentials endpoint; returns the Cookie header. */
export async function signInAdmin(stack: BenchStack): Promise<string> {
  const email = PRESSING_PERSON.email;
  await stack.pool.query(
    `INSERT INTO app_user (id, email, name, password_hash, is_owner, updated_at) VALUES ($1, $2, $3, $4, true, now())
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, is_owner = true`,
    [randomUUID(), email, PRESSING_PERSON.name, await hashPassword(ADMIN_PASSWORD)],
  );
  const appUrl = stack.switchboard.url;
  const csrf = await fetch(`${appUrl}/api/auth/csrf`);
  if (!csrf.ok) throw new Error(`GET /api/auth/csrf responded with ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesFrom(csrf);
  const response = await fetch(`${appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password: ADMIN_PASSWORD, callbackUrl: `${appUrl}/`, json: "true" }).toString(),
  });
  const session = cookiesFrom(response).find((cookie) => /^(__Secure-)?next-auth\.session-token=/.test(cookie));
  if (!session) throw new Error(`Signing in as ${email} failed with status ${response.status}: ${(await response.text()).slice(0, 500)}`);
  return [...jar, session].join("; ");
}

function cookiesFrom(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!);
}

/** Adds extensions (one service and channel each) until the workspace has `total`; returns their name prefix. */
export async function seedExtensions(stack: BenchStack, total: number): Promise<string> {
  const prefix = "Seeded-extension-";
  await stack.pool.query(
    `INSERT INTO slack_extension (id, name, pagerduty_service_id, workspace_id, slack_channel_id, slack_channel_name, updated_at)
     SELECT gen_random_uuid(), $2 || lpad(n::text, 5, '0'), 'P0SEED' || lpad(n::text, 5, '0'), workspace.id,
            'C0SEED' || lpad(n::text, 5, '0'), 'seeded-' || lpad(n::text, 5, '0'), now()
       FROM slack_workspace AS workspace, generate_series(1, greatest(0, $3 - (SELECT count(*) FROM slack_extension))) AS n
      WHERE workspace.slack_team_id = $1
     ON CONFLICT DO NOTHING`,
    [SLACK_TEAM.id, prefix, total],
  );
  return prefix;
}

/** Adds incidents until there are `total`, counting those that earlier phases delivered; returns their title prefix. */
export async function seedIncidents(stack: BenchStack, total: number): Promise<string> {
  const prefix = "Seeded incident ";
  await stack.pool.query(
    `INSERT INTO incident (id, pagerduty_incident_id, number, title, status, urgency, pagerduty_service_id, service_name, html_url, last_change_at, updated_at)
     SELECT gen_random_uuid(), 'QSEED' || lpad(n::text, 9, '0'), 100000 + n, $1 || lpad(n::text, 5, '0'),
            (ARRAY['triggered', 'acknowledged', 'resolved'])[1 + n % 3], 'high', 'P0BENCH' || lpad((n % 50)::text, 3, '0'),
            'Bench service', 'https://acme.pagerduty.com/incidents/QSEED' || n, now() - make_interval(secs => n), now()
       FROM generate_series(1, greatest(0, $2 - (SELECT count(*) FROM incident))) AS n
     ON CONFLICT DO NOTHING`,
    [prefix, total],
  );
  return prefix;
}

/** Times full responses (request sent → last byte) of a path, after a few unmeasured ones. */
export async function timeResponses(input: { appUrl: string; path: string; cookie: string; samples: number }): Promise<{ status: number; ms: LatencySummary; body: string }> {
  const fetchOnce = async () => {
    const started = performance.now();
    const response = await fetch(`${input.appUrl}${input.path}`, { headers: { cookie: input.cookie }, redirect: "manual" });
    const body = await response.text();
    return { status: response.status, body, ms: performance.now() - started };
  };
  for (let index = 0; index < 3; index++) await fetchOnce();
  const times: number[] = [];
  let last = await fetchOnce();
  times.push(last.ms);
  for (let index = 1; index < input.samples; index++) {
    last = await fetchOnce();
    times.push(last.ms);
  }
  return { status: last.status, ms: summarize(times), body: last.body };
}

/**
 * Sums the gzipped sizes of the script files that a route's HTML loads (Next 16 no longer prints
 * it). Inline scripts, such as the page's React Server Components payload, are not counted.
 */
export async function measureFirstLoadJs(input: { appUrl: string; route: string; cookie: string }): Promise<FirstLoadJs> {
  const response = await fetch(`${input.appUrl}${input.route}`, { headers: { cookie: input.cookie }, redirect: "manual" });
  const html = await response.text();
  // Browsers that run modules skip `nomodule` scripts (Next.js's polyfills), so those are not counted.
  const tags = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
  const sources = new Set(
    tags
      .filter((attributes) => !/\bnomodule\b/i.test(attributes))
      .flatMap((attributes) => {
        const src = /\bsrc="([^"]+)"/.exec(attributes)?.[1];
        return src ? [src.replace(/&amp;/g, "&")] : [];
      }),
  );
  const files: FirstLoadJs["files"] = [];
  for (const source of sources) {
    const script = await fetch(new URL(source, input.appUrl));
    if (!script.ok) throw new Error(`${input.route} loads ${source}, which responded with ${script.status}`);
    // zlib's default level, as Next.js compresses responses.
    files.push({ src: source, gzipBytes: gzipSync(Buffer.from(await script.arrayBuffer())).length });
  }
  const gzipBytes = files.reduce((sum, file) => sum + file.gzipBytes, 0);
  return { route: input.route, status: response.status, scripts: sources.size, gzipBytes, files };
}

/**
 * Server render time of the extensions page with `extensionCount` extensions and of the incidents
 * list with `incidentCount` incidents, and first-load JavaScript of every page route of the build.
 */
export async function measurePages(input: {
  stack: BenchStack;
  runs: number;
  samples: number;
  extensionCount: number;
  incidentCount: number;
  log: Logger;
}): Promise<{ renders: PageRender[]; firstLoad: FirstLoadJs[]; dynamicRoutes: string[] }> {
  const { stack, log } = input;
  const { pages, dynamic } = builtPageRoutes(stack.root);
  const cookie = await signInAdmin(stack);
  const renders: PageRender[] = [];

  await seedExtensions(stack, input.extensionCount);
  // The list pages render their first page of 25 rows on the server, into the HTML. The JSON routes
  // that return the same rows, which scripts and other clients use, are timed beside them.
  const listed = [
    { route: "/extensions", dataset: `at least ${input.extensionCount.toLocaleString("en-US")} extensions`, dataPath: "/api/admin/extensions?query=&sort=name&direction=asc&page=1&pageSize=25" },
    { route: "/incidents", dataset: `at least ${input.incidentCount.toLocaleString("en-US")} incidents`, dataPath: "/api/admin/incidents?page=1&pageSize=25" },
  ];
  if (pages.includes("/incidents")) await seedIncidents(stack, input.incidentCount);

  for (let run = 1; run <= input.runs; run++) {
    for (const page of listed) {
      if (!pages.includes(page.route)) {
        renders.push({ run, route: page.route, dataset: page.dataset });
        continue;
      }
      const html = await timeResponses({ appUrl: stack.switchboard.url, path: page.route, cookie, samples: input.samples });
      const data = await timeResponses({ appUrl: stack.switchboard.url, path: page.dataPath, cookie, samples: input.samples });
      const total = data.status === 200 ? (JSON.parse(data.body) as { total?: unknown }).total : undefined;
      renders.push({
        run,
        route: page.route,
        dataset: page.dataset,
        renderMs: html.ms,
        status: html.status,
        dataPath: page.dataPath,
        dataMs: data.ms,
        dataStatus: data.status,
        dataTotal: typeof total === "number" ? total : undefined,
      });
      log.info({ run, route: page.route, htmlP50: html.ms.p50, dataP50: data.ms.p50, total }, "Page render measured");
    }
  }

  const firstLoad: FirstLoadJs[] = [];
  for (const route of pages) firstLoad.push(await measureFirstLoadJs({ appUrl: stack.switchboard.url, route, cookie }));
  return { renders, firstLoad, dynamicRoutes: dynamic };
}
