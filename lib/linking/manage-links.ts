import { z } from "zod";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { scopedLogger } from "../log";
import { PagerDutyApiError } from "../pagerduty/client";
import { getPagerDutyClient } from "../pagerduty/connection";
import { slackClientFor, slackErrorName } from "../slack/client";

const log = scopedLogger("linking");

export interface SlackLinkRow {
  id: string;
  slackTeamId: string;
  workspaceName: string | null;
  slackUserId: string;
  pagerdutyUserId: string;
  pagerdutyEmail: string;
  /** The PagerDuty user's name, when Switchboard has fetched it before. */
  pagerdutyName: string | null;
  /** "slack_sign_in", "admin" or "config"; null for links made before methods were recorded. */
  method: string | null;
  managedByConfig: boolean;
  createdAt: Date;
}

/** Every Slack-to-PagerDuty link, newest first, optionally filtered by a Slack or PagerDuty id or email. */
export async function listSlackLinks(input: { prisma: PrismaClient; search?: string }): Promise<SlackLinkRow[]> {
  const { prisma } = input;
  const search = input.search?.trim();
  const links = await prisma.linkedUser.findMany({
    where: search
      ? {
          OR: [
            { slackUserId: { contains: search, mode: "insensitive" } },
            { pagerdutyUserId: { contains: search, mode: "insensitive" } },
            { pagerdutyEmail: { contains: search, mode: "insensitive" } },
          ],
        }
      : {},
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 500,
  });
  const [workspaces, profiles] = await Promise.all([
    prisma.slackWorkspace.findMany({ where: { slackTeamId: { in: [...new Set(links.map((link) => link.slackTeamId))] } }, select: { slackTeamId: true, name: true } }),
    prisma.pagerdutyUserCache.findMany({ where: { pagerdutyUserId: { in: [...new Set(links.map((link) => link.pagerdutyUserId))] } }, select: { pagerdutyUserId: true, name: true } }),
  ]);
  const workspaceNames = new Map(workspaces.map((workspace) => [workspace.slackTeamId, workspace.name]));
  const names = new Map(profiles.map((profile) => [profile.pagerdutyUserId, profile.name]));
  return links.map((link) => ({
    id: link.id,
    slackTeamId: link.slackTeamId,
    workspaceName: workspaceNames.get(link.slackTeamId) ?? null,
    slackUserId: link.slackUserId,
    pagerdutyUserId: link.pagerdutyUserId,
    pagerdutyEmail: link.pagerdutyEmail,
    pagerdutyName: names.get(link.pagerdutyUserId) ?? null,
    method: link.managedBy === "config" ? "config" : link.linkMethod,
    managedByConfig: link.managedBy === "config",
    createdAt: link.createdAt,
  }));
}

export const createLinkInputSchema = z.object({
  slackTeamId: z.string().trim().regex(/^[TE][A-Z0-9]{2,}$/, "Choose a mapped Slack workspace."),
  slackUserId: z.string().trim().toUpperCase().regex(/^[UW][A-Z0-9]{2,}$/, "Enter a Slack member ID such as U0123ABCD (in Slack: the person's profile → ⋮ → Copy member ID)."),
  pagerdutyUserId: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{2,32}$/, "Choose a PagerDuty user."),
});

export type CreateLinkInput = z.infer<typeof createLinkInputSchema>;

/**
 * Links a Slack user to a PagerDuty user by an admin's hand, for people whose Slack email matches no
 * PagerDuty user. Both users are checked to exist, in Slack and in PagerDuty. Audited.
 */
export async function createSlackLinkByAdmin(input: { prisma: PrismaClient; actor: AuditActor; link: CreateLinkInput }): Promise<{ id: string }> {
  const { prisma, actor } = input;
  const parsed = createLinkInputSchema.safeParse(input.link);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
    throw new AppError("invalid_input", "Check the highlighted fields.", fields);
  }
  const { slackTeamId, slackUserId, pagerdutyUserId } = parsed.data;

  const workspace = await prisma.slackWorkspace.findUnique({ where: { slackTeamId } });
  if (!workspace) throw new AppError("invalid_input", `No mapped Slack workspace has the team ID ${slackTeamId}.`, { slackTeamId: "Choose a mapped Slack workspace." });

  try {
    await slackClientFor(workspace).users.info({ user: slackUserId });
  } catch (error) {
    const name = slackErrorName(error);
    if (name === "user_not_found" || name === "user_not_visible") {
      throw new AppError("invalid_input", `Slack has no member ${slackUserId} in ${workspace.name}.`, { slackUserId: `No member of ${workspace.name} has this ID.` });
    }
    log.warn({ err: error, slackTeamId }, "Could not check the Slack user of a new link");
    throw new AppError("upstream_failed", `Slack did not confirm the member ${slackUserId}${name ? ` (${name})` : ""}. Try again in a minute.`);
  }

  const client = await getPagerDutyClient();
  if (!client) throw new AppError("not_configured", "Switchboard is not connected to PagerDuty yet: set the PagerDuty API token under Settings first.");
  let pagerdutyEmail: string;
  try {
    pagerdutyEmail = (await client.getUser(pagerdutyUserId)).user.email;
  } catch (error) {
    if (error instanceof PagerDutyApiError && error.status === 404) {
      throw new AppError("invalid_input", `PagerDuty has no user ${pagerdutyUserId}.`, { pagerdutyUserId: "Choose a PagerDuty user." });
    }
    throw new AppError("upstream_failed", "PagerDuty did not answer the user lookup. Try again in a minute.");
  }

  return prisma.$transaction(async (tx) => {
    const existing = await tx.linkedUser.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId, slackUserId } } });
    if (existing?.managedBy === "config") {
      throw new AppError("managed_by_config", `${slackUserId} is linked in the configuration file. Change the link there.`);
    }
    const link = await tx.linkedUser.upsert({
      where: { slackTeamId_slackUserId: { slackTeamId, slackUserId } },
      create: { slackTeamId, slackUserId, pagerdutyUserId, pagerdutyEmail, linkMethod: "admin" },
      update: { pagerdutyUserId, pagerdutyEmail, linkMethod: "admin" },
    });
    await recordAudit(tx, {
      actor,
      action: existing ? "slack_link.update" : "slack_link.create",
      targetType: "slack_link",
      targetId: link.id,
      details: { method: "admin", slackTeamId, slackUserId, pagerdutyUserId, ...(existing ? { previousPagerdutyUserId: existing.pagerdutyUserId } : {}) },
    });
    return { id: link.id };
  });
}

/** Removes a link by an admin's hand. Links from the configuration file are refused. Audited. */
export async function removeSlackLinkByAdmin(input: { prisma: PrismaClient; actor: AuditActor; linkId: string }): Promise<void> {
  const { prisma } = input;
  await prisma.$transaction(async (tx) => {
    const link = await tx.linkedUser.findUnique({ where: { id: input.linkId } });
    if (!link) throw new AppError("not_found", "This link no longer exists; it may have been removed already.");
    if (link.managedBy === "config") throw new AppError("managed_by_config", `${link.slackUserId} is linked in the configuration file. Remove the link there.`);
    await tx.linkedUser.delete({ where: { id: link.id } });
    await recordAudit(tx, {
      actor: input.actor,
      action: "slack_link.delete",
      targetType: "slack_link",
      targetId: link.id,
      details: { slackTeamId: link.slackTeamId, slackUserId: link.slackUserId, pagerdutyUserId: link.pagerdutyUserId },
    });
  });
}

export type UnlinkOutcome = { status: "removed"; pagerdutyEmail: string } | { status: "not_linked" } | { status: "managed_by_config" };

/** Removes a Slack user's own link (`/pd unlink`). Links from the configuration file stay. Audited. */
export async function unlinkSlackUser(input: { prisma: PrismaClient; slackTeamId: string; slackUserId: string }): Promise<UnlinkOutcome> {
  return input.prisma.$transaction(async (tx) => {
    const link = await tx.linkedUser.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId: input.slackTeamId, slackUserId: input.slackUserId } } });
    if (!link) return { status: "not_linked" } as const;
    if (link.managedBy === "config") return { status: "managed_by_config" } as const;
    await tx.linkedUser.delete({ where: { id: link.id } });
    await recordAudit(tx, {
      actor: { userId: null, label: `Slack user ${input.slackUserId}` },
      action: "slack_link.delete",
      targetType: "slack_link",
      targetId: link.id,
      details: { method: "slash_command", slackTeamId: link.slackTeamId, slackUserId: link.slackUserId, pagerdutyUserId: link.pagerdutyUserId },
    });
    return { status: "removed", pagerdutyEmail: link.pagerdutyEmail } as const;
  });
}
