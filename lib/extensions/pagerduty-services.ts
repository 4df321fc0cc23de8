import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { scopedLogger } from "../log";
import { PagerDutyApiError, type PagerDutyClient, type RestService } from "../pagerduty/client";
import { getPagerDutyClient } from "../pagerduty/connection";

const log = scopedLogger("extensions");

export interface ServiceOption {
  id: string;
  name: string;
}

/** The service list is kept this long, so that typing in the search box does not page through PagerDuty on every key. */
const SERVICES_CACHE_MS = 60_000;
let cache: { client: PagerDutyClient; at: number; services: ServiceOption[] } | undefined;

/** Returns the PagerDuty client, or throws AppError("not_configured") with the fix when no API token is set. */
export async function requirePagerDutyClient(): Promise<PagerDutyClient> {
  const client = await getPagerDutyClient();
  if (!client) {
    throw new AppError("not_configured", "PagerDuty is not connected: set its API token in Settings → PagerDuty (or PAGERDUTY_API_TOKEN), then try again.");
  }
  return client;
}

/** Converts a PagerDuty API failure into an AppError whose message names what failed. */
export function pagerDutyFailure(error: unknown, what: string): AppError {
  if (error instanceof PagerDutyApiError) {
    if (error.status === 401) return new AppError("upstream_failed", `PagerDuty rejected the API token while ${what}: check it in Settings → PagerDuty.`);
    if (error.status === 403) return new AppError("upstream_failed", `PagerDuty denied access while ${what}: the API token needs read and write access.`);
    return new AppError("upstream_failed", `PagerDuty failed while ${what}: ${error.message}.`);
  }
  log.error({ err: error }, `PagerDuty request failed while ${what}`);
  return new AppError("upstream_failed", `Switchboard could not reach PagerDuty while ${what}. Try again in a minute.`);
}

/**
 * Lists every PagerDuty service, sorted by name, following PagerDuty's pagination to the end. The list is
 * cached for a minute per API token; `refresh` reads it again.
 */
export async function listAllPagerDutyServices(options: { refresh?: boolean } = {}): Promise<ServiceOption[]> {
  const client = await requirePagerDutyClient();
  if (!options.refresh && cache && cache.client === client && Date.now() - cache.at < SERVICES_CACHE_MS) return cache.services;
  let services: RestService[];
  try {
    services = await client.listAll<RestService>("/services", "services");
  } catch (error) {
    throw pagerDutyFailure(error, "listing services");
  }
  const sorted = services.map((service) => ({ id: service.id, name: service.name })).sort((a, b) => a.name.localeCompare(b.name));
  cache = { client, at: Date.now(), services: sorted };
  return sorted;
}

export interface ServiceSearchResult {
  services: ServiceOption[];
  /** How many services match, which may be more than are returned. */
  total: number;
}

/** Searches services whose name or ID contains `query` (case-insensitive), at most `limit` of them. */
export async function searchPagerDutyServices(input: { query?: string; limit?: number; refresh?: boolean }): Promise<ServiceSearchResult> {
  const all = await listAllPagerDutyServices({ refresh: input.refresh });
  const needle = (input.query ?? "").trim().toLowerCase();
  const matches = needle ? all.filter((service) => service.name.toLowerCase().includes(needle) || service.id.toLowerCase().includes(needle)) : all;
  return { services: matches.slice(0, input.limit ?? 50), total: matches.length };
}

/** Reads one service by id from PagerDuty. Throws an invalid_input AppError on the serviceId field when it does not exist. */
export async function findPagerDutyService(serviceId: string): Promise<ServiceOption> {
  const client = await requirePagerDutyClient();
  try {
    const { service } = await client.getService(serviceId);
    return { id: service.id, name: service.name };
  } catch (error) {
    if (error instanceof PagerDutyApiError && error.status === 404) {
      throw new AppError("invalid_input", `No PagerDuty service has the ID "${serviceId}".`, { serviceId: `No PagerDuty service has the ID "${serviceId}"` });
    }
    throw pagerDutyFailure(error, `reading service ${serviceId}`);
  }
}

/**
 * Fills in service names that were never stored (extensions from the configuration file carry only
 * the service ID) from the cached service list, and stores them so sorting by service works next
 * time. Leaves the names empty when PagerDuty is not connected or fails.
 */
export async function fillServiceNames<T extends { service: { id: string; name: string | null } }>(prisma: PrismaClient, items: T[]): Promise<T[]> {
  const missing = new Set(items.filter((item) => !item.service.name).map((item) => item.service.id));
  if (missing.size === 0) return items;
  let names: Map<string, string>;
  try {
    names = new Map((await listAllPagerDutyServices()).map((service) => [service.id, service.name]));
  } catch (error) {
    log.warn({ err: error }, "Could not read service names from PagerDuty; showing service IDs");
    return items;
  }
  for (const serviceId of missing) {
    const name = names.get(serviceId);
    if (name) await prisma.slackExtension.updateMany({ where: { pagerdutyServiceId: serviceId, pagerdutyServiceName: null }, data: { pagerdutyServiceName: name } });
  }
  return items.map((item) => (item.service.name ? item : { ...item, service: { ...item.service, name: names.get(item.service.id) ?? null } }));
}
