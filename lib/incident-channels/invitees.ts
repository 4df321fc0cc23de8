import type { Logger } from "pino";
import type { Incident, PrismaClient, SlackWorkspace } from "../db/generated/client";
import type { PagerDutyReference } from "../incidents/types";
import { slackClientFor, slackErrorName } from "../slack/client";

export interface Invitee {
  slackUserId: string;
  /** The person's name in messages: their PagerDuty name, or the acting user's label. */
  label: string;
}

/** Lists the incident's assignees who have a linked Slack user in the workspace. */
export async function linkedAssignees(prisma: PrismaClient, input: { incident: Incident; workspace: SlackWorkspace }): Promise<Invitee[]> {
  const assignees = Array.isArray(input.incident.assignees) ? (input.incident.assignees as unknown as PagerDutyReference[]) : [];
  const namesById = new Map(assignees.map((assignee) => [assignee.id, assignee.summary]));
  if (namesById.size === 0) return [];
  const links = await prisma.linkedUser.findMany({
    where: { slackTeamId: input.workspace.slackTeamId, pagerdutyUserId: { in: [...namesById.keys()] } },
  });
  return links.map((link) => ({ slackUserId: link.slackUserId, label: namesById.get(link.pagerdutyUserId) ?? link.pagerdutyEmail }));
}

/**
 * Finds a web user's Slack user id in a workspace: from Sign in with Slack, then from a linked
 * Slack user of their PagerDuty user, then by email (users.lookupByEmail). Null when none matches.
 */
export async function slackUserIdForWebUser(
  prisma: PrismaClient,
  input: { userId: string; workspace: SlackWorkspace; log: Logger },
): Promise<string | null> {
  const user = await prisma.user.findUnique({ where: { id: input.userId } });
  if (!user) return null;
  if (user.slackUserId && user.slackTeamId === input.workspace.slackTeamId) return user.slackUserId;

  if (user.pagerdutyUserId) {
    const link = await prisma.linkedUser.findFirst({ where: { slackTeamId: input.workspace.slackTeamId, pagerdutyUserId: user.pagerdutyUserId } });
    if (link) return link.slackUserId;
  }

  try {
    const found = await slackClientFor(input.workspace).users.lookupByEmail({ email: user.email });
    return found.user?.id ?? null;
  } catch (error) {
    const name = slackErrorName(error);
    if (name === "users_not_found") return null;
    input.log.warn({ userId: user.id, workspaceId: input.workspace.id, error: name ?? String(error) }, "Could not look up the web user's Slack account by email");
    return null;
  }
}
