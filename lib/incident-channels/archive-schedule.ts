import type { IncidentChannel, Prisma, PrismaClient } from "../db/generated/client";
import { enqueueJob, TASKS } from "../queue/jobs";
import { findChannelRule } from "./rules";

type Tx = Prisma.TransactionClient;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Sets when a channel Switchboard created is archived, when its incident is resolved and a rule
 * archives after some days, and queues the archive job for that time. `resolvedAt` defaults to the
 * incident's last change. A channel that is not due (open incident, no rule, associated channel)
 * gets no archive time.
 */
export async function scheduleArchiveIfDue(tx: Tx, channel: IncidentChannel, resolvedAt?: Date): Promise<IncidentChannel> {
  const incident = await tx.incident.findUniqueOrThrow({ where: { id: channel.incidentId } });
  if (!channel.createdBySwitchboard || channel.status !== "active" || incident.status !== "resolved") {
    return channel.archiveAt ? clearArchive(tx, channel) : channel;
  }
  const found = await findChannelRule(tx, { pagerdutyServiceId: incident.pagerdutyServiceId, workspaceId: channel.workspaceId, extensionId: channel.extensionId });
  const days = found?.rule.archiveAfterDays;
  if (days === null || days === undefined) return channel.archiveAt ? clearArchive(tx, channel) : channel;

  const archiveAt = new Date((resolvedAt ?? incident.lastChangeAt).getTime() + days * DAY_MS);
  const updated = await tx.incidentChannel.update({ where: { id: channel.id }, data: { archiveAt } });
  // One job per archive time: a job whose time no longer matches archiveAt finds nothing to do.
  await enqueueJob(tx, TASKS.archiveIncidentChannel, { incidentChannelId: channel.id }, { runAt: archiveAt, jobKey: `archive-channel:${channel.id}:${archiveAt.toISOString()}` });
  return updated;
}

async function clearArchive(tx: Tx, channel: IncidentChannel): Promise<IncidentChannel> {
  return tx.incidentChannel.update({ where: { id: channel.id }, data: { archiveAt: null } });
}

/**
 * Sets or clears a channel's archive time from its incident's current state, as the job that a
 * resolved or reopened event queues. A later event's job therefore corrects an earlier one's.
 */
export async function scheduleChannelArchive(input: { prisma: PrismaClient; incidentChannelId: string; resolvedAt: Date }): Promise<IncidentChannel | null> {
  return input.prisma.$transaction(async (tx) => {
    const channel = await tx.incidentChannel.findUnique({ where: { id: input.incidentChannelId } });
    return channel ? scheduleArchiveIfDue(tx, channel, input.resolvedAt) : null;
  });
}
