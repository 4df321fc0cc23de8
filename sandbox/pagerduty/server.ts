import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { scopedLogger } from "../../lib/log";
import { FakePagerDutyApp } from "./app";
import { serveControl } from "./control";
import { sendHtml, sendJson, wantsHtml } from "./http";
import { renderHomePage, renderIncidentPage, renderNotFoundPage, renderObjectPage, type PageMessages } from "./page";
import { serveRest } from "./rest";
import { DEFAULT_DELIVERY_OPTIONS, isLoopbackUrl, type WebhookDeliveryOptions } from "./webhooks";

export interface FakePagerDutyOptions {
  /** Interface to listen on; only loopback addresses are accepted. Default "127.0.0.1". */
  host?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** The one REST API key accepted, as `Authorization: Token token=<apiToken>` or `Bearer <apiToken>`. */
  apiToken: string;
  /** If set, a V3 webhook subscription for every incident event on the account is seeded for this URL... */
  webhookUrl?: string;
  /** ...and its webhooks are signed with this secret. Required with webhookUrl. */
  webhookSecret?: string;
  logger?: Logger;
  /** The clock for timestamps and date filters; tests pass a fixed one. Default: the system clock. */
  clock?: () => Date;
  /** Retry timing of webhook deliveries; tests shorten the delays. */
  webhookDelivery?: Partial<WebhookDeliveryOptions>;
  /** Lets subscriptions send webhooks to hosts other than localhost. Default false. */
  allowNonLoopbackWebhooks?: boolean;
}

export interface FakePagerDuty {
  /** The origin of the fake, e.g. http://127.0.0.1:4010: the REST API base URL and the page. */
  url: string;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

/** Starts the fake PagerDuty (REST API v2, V3 webhooks, control API and pages) on a loopback port. */
export async function startFakePagerDuty(options: FakePagerDutyOptions): Promise<FakePagerDuty> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`The fake PagerDuty listens only on loopback (127.0.0.1, localhost or ::1); got host "${host}"`);
  if (!options.apiToken) throw new Error("apiToken is required: it is the REST API key that the fake PagerDuty accepts");
  if (options.webhookUrl && !options.webhookSecret) {
    throw new Error("webhookSecret is required with webhookUrl: the seeded webhook subscription signs its webhooks with it");
  }
  if (options.webhookUrl && !options.allowNonLoopbackWebhooks && !isLoopbackUrl(options.webhookUrl)) {
    throw new Error(`webhookUrl must point at localhost or 127.0.0.1 unless allowNonLoopbackWebhooks is set; got "${options.webhookUrl}"`);
  }
  const logger = options.logger ?? scopedLogger("fake-pagerduty");

  let app: FakePagerDutyApp | undefined;
  const server = createServer((request, response) => {
    if (!app) {
      sendJson(response, 503, { error: { message: "The fake PagerDuty is starting", code: 2000, errors: [] } });
      return;
    }
    handleRequest(app, request, response).catch((error: unknown) => {
      logger.error({ err: error, method: request.method, url: request.url }, "fake PagerDuty request failed");
      if (!response.headersSent) sendJson(response, 500, { error: { message: "An internal error has occurred", code: 2000, errors: [] } });
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  app = new FakePagerDutyApp({
    origin,
    apiToken: options.apiToken,
    webhookUrl: options.webhookUrl,
    webhookSecret: options.webhookSecret,
    allowNonLoopbackWebhooks: options.allowNonLoopbackWebhooks ?? false,
    delivery: { ...DEFAULT_DELIVERY_OPTIONS, ...options.webhookDelivery },
    logger,
    clock: options.clock ?? (() => new Date()),
  });
  logger.info({ url: origin, webhookUrl: options.webhookUrl }, "fake PagerDuty started");

  const started = app;
  let closing: Promise<void> | undefined;
  return {
    url: origin,
    close() {
      // A second call waits for the first instead of failing on a server that is already closed.
      closing ??= (async () => {
        started.dispatcher.reset();
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        });
        logger.info({ url: origin }, "fake PagerDuty stopped");
      })();
      return closing;
    },
  };
}

async function handleRequest(app: FakePagerDutyApp, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", app.config.origin);

  if (url.pathname.startsWith("/_sandbox/")) {
    await serveControl(app, request, response, url);
    return;
  }
  if (request.method === "GET" && url.pathname.startsWith("/avatars/")) {
    serveAvatar(app, response, url);
    return;
  }
  if (request.method === "GET" && (url.pathname === "/" || wantsHtml(request))) {
    servePage(app, response, url);
    return;
  }
  await serveRest(app, request, response, url);
}

/** Pages for people: "/" and the html_url of incidents and other objects. */
function servePage(app: FakePagerDutyApp, response: ServerResponse, url: URL): void {
  const messages: PageMessages = {
    notice: url.searchParams.get("notice") ?? undefined,
    error: url.searchParams.get("error") ?? undefined,
    actingEmail: url.searchParams.get("as") ?? undefined,
  };
  const [collection, id, ...rest] = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const { account, render } = app;

  if (collection === undefined) {
    sendHtml(response, 200, renderHomePage(app, messages));
    return;
  }
  if (collection === "incidents" && id && rest.length === 0) {
    const incident = account.findIncident(id);
    if (incident) sendHtml(response, 200, renderIncidentPage(app, incident, messages));
    else sendHtml(response, 404, renderNotFoundPage(`No incident has the ID or number "${id}".`));
    return;
  }

  const objectPages: Record<string, (objectId: string) => { title: string; object: unknown } | undefined> = {
    "service-directory": (objectId) => {
      const service = account.services.get(objectId);
      return service && { title: service.name, object: render.service(service) };
    },
    users: (objectId) => {
      const user = account.users.get(objectId);
      return user && { title: user.name, object: render.user(user) };
    },
    teams: (objectId) => {
      const team = account.teams.get(objectId);
      return team && { title: team.name, object: render.team(team) };
    },
    escalation_policies: (objectId) => {
      const policy = account.escalationPolicies.get(objectId);
      return policy && { title: policy.name, object: render.escalationPolicy(policy) };
    },
  };
  const lookup = collection ? objectPages[collection] : undefined;
  const found = lookup && id && rest.length === 0 ? lookup(id) : undefined;
  if (found) {
    sendHtml(response, 200, renderObjectPage(found.title, found.object));
    return;
  }
  if (url.pathname === "/account/incident_priorities") {
    sendHtml(response, 200, renderObjectPage("Priorities", [...account.priorities.values()].map((priority) => render.priority(priority))));
    return;
  }
  sendHtml(response, 404, renderNotFoundPage(`The fake PagerDuty has no page at ${url.pathname}.`));
}

/** GET /avatars/{userId}.svg: the user's initials, so that every avatar_url resolves. */
function serveAvatar(app: FakePagerDutyApp, response: ServerResponse, url: URL): void {
  const userId = decodeURIComponent(url.pathname.slice("/avatars/".length)).replace(/\.svg$/, "");
  const user = app.account.users.get(userId);
  if (!user) {
    sendJson(response, 404, { error: { message: "Not Found", code: 2100, errors: [`No user has the ID "${userId}"`] } });
    return;
  }
  const initials = user.name
    .split(/\s+/)
    .map((part) => part[0] ?? "")
    .join("")
    .slice(0, 2)
    .replace(/[^A-Za-z]/g, "");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" fill="#06ac38"/><text x="32" y="40" font-family="sans-serif" font-size="24" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
  response.writeHead(200, { "Content-Type": "image/svg+xml", "Content-Length": Buffer.byteLength(svg), "Cache-Control": "no-store" });
  response.end(svg);
}
