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
    prisma.incident.findMany({ distinct: ["pagerdutyServiceId"], select: { pagerdutyServiceId: true, serviceName: true }, orderBy: { pagerdutyServiceId: "asc" } }),
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
    services: services.map((service) => ({ id: service.pagerdutyServiceId, name: service.serviceName })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}
