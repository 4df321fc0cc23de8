import { z } from "zod";
import type { Prisma, PrismaClient } from "../db/generated/client";
import type { PagerDutyReference } from "./types";

export const INCIDENT_STATUSES = ["triggered", "acknowledged", "resolved"] as const;
export const INCIDENT_URGENCIES = ["high", "low"] as const;

/** Query parameters of the incident list; empty filters match everything. */
export const incidentListQuerySchema = z.object({
  status: z.enum(INCIDENT_STATUSES).optional(),
  service: z.string().regex(/^[A-Z0-9]{1,32}$/i, "service must be a PagerDuty service ID").optional(),
  urgency: z.enum(INCIDENT_URGENCIES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

export type IncidentListQuery = z.infer<typeof incidentListQuerySchema>;

export interface IncidentListItem {
  id: string;
  pagerdutyIncidentId: string;
  number: number;
  title: string;
  status: string;
  urgency: string;
  priority: string | null;
  serviceName: string;
  pagerdutyServiceId: string;
  assignees: PagerDutyReference[];
  createdAt: string;
  lastChangeAt: string;
  channel: { name: string; status: string } | null;
}

export interface IncidentListPage {
  items: IncidentListItem[];
  total: number;
  page: number;
  pageSize: number;
  /** Every service that has incidents here, for the service filter. */
  services: { id: string; name: string }[];
}

/** Lists stored incidents, newest first, filtered by status, service and urgency, one page at a time. */
export async function listIncidents(prisma: PrismaClient, query: IncidentListQuery): Promise<IncidentListPage> {
  const where: Prisma.IncidentWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.service ? { pagerdutyServiceId: query.service } : {}),
    ...(query.urgency ? { urgency: query.urgency } : {}),
  };
  const [rows, total, services] = await Promise.all([
    prisma.incident.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: { channel: { select: { slackChannelName: true, status: true } } },
    }),
    prisma.incident.count({ where }),
    servicesWithIncidents(prisma),
  ]);

  return {
    items: rows.map((row) => ({
      id: row.id,
      pagerdutyIncidentId: row.pagerdutyIncidentId,
      number: row.number,
      title: row.title,
      status: row.status,
      urgency: row.urgency,
      priority: row.priority,
      serviceName: row.serviceName,
      pagerdutyServiceId: row.pagerdutyServiceId,
      assignees: Array.isArray(row.assignees) ? (row.assignees as unknown as PagerDutyReference[]) : [],
      createdAt: row.createdAt.toISOString(),
      lastChangeAt: row.lastChangeAt.toISOString(),
      channel: row.channel ? { name: row.channel.slackChannelName, status: row.channel.status } : null,
    })),
    total,
    page: query.page,
    pageSize: query.pageSize,
    services: services.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/**
 * Lists each service that has incidents, named as in its newest incident. The recursive query
 * steps through the (service, created) index one service at a time, so it reads two index entries
 * per service where a DISTINCT reads every incident.
 */
async function servicesWithIncidents(prisma: PrismaClient): Promise<{ id: string; name: string }[]> {
  return prisma.$queryRaw<{ id: string; name: string }[]>`
    WITH RECURSIVE service AS (
      (SELECT pagerduty_service_id AS id FROM incident ORDER BY pagerduty_service_id LIMIT 1)
      UNION ALL
      SELECT (SELECT next.pagerduty_service_id FROM incident next WHERE next.pagerduty_service_id > service.id ORDER BY next.pagerduty_service_id LIMIT 1)
        FROM service
       WHERE service.id IS NOT NULL
    )
    SELECT service.id,
           (SELECT newest.service_name FROM incident newest WHERE newest.pagerduty_service_id = service.id ORDER BY newest.created_at DESC LIMIT 1) AS name
      FROM service
     WHERE service.id IS NOT NULL`;
}
