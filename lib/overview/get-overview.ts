import type { PrismaClient } from "../db/generated/client";

/** What the home page shows: mapped workspaces, extensions and the newest incidents. */
export async function getOverview(prisma: PrismaClient) {
  const [workspaces, extensions, incidents, failedDeliveries] = await Promise.all([
    prisma.slackWorkspace.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, slackTeamId: true, status: true, statusReason: true, managedBy: true } }),
    prisma.slackExtension.findMany({
      orderBy: { name: "asc" },
      include: { workspace: { select: { name: true } } },
    }),
    prisma.incident.findMany({
      orderBy: { createdAt: "desc" },
      take: 20,
      include: { messages: { select: { slackChannelId: true, status: true, lastError: true } } },
    }),
    prisma.incidentMessage.count({ where: { status: "failed" } }),
  ]);
  return { workspaces, extensions, incidents, failedDeliveries };
}

export type Overview = Awaited<ReturnType<typeof getOverview>>;
