import { recordAudit } from "../audit/record-audit";
import { findPagerDutyUserByEmail } from "../auth/refresh-role";
import type { LinkedUser, PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { scopedLogger } from "../log";
import type { RestUser } from "../pagerduty/client";
import { getPagerDutyClient } from "../pagerduty/connection";
import { enqueueJob, TASKS } from "../queue/jobs";
import { findLinkRequest, type LinkRequestState } from "./link-requests";
import { describePendingAction, parsePendingAction } from "./pending-action";

const log = scopedLogger("linking");

/** The Slack identity that Sign in with Slack recorded on a web user, with the email Slack verified. */
interface SlackIdentity {
  userId: string;
  email: string;
  slackTeamId: string;
  slackUserId: string;
}

export type LinkPreview =
  | { kind: "needs_slack_sign_in"; reason: "no_slack_identity" | "other_slack_user" }
  | { kind: "workspace_not_mapped"; slackTeamId: string }
  | { kind: "pagerduty_not_configured" }
  | { kind: "no_pagerduty_user"; email: string; slackUserId: string; slackTeamId: string }
  | {
      kind: "ready";
      email: string;
      slackTeamId: string;
      slackUserId: string;
      pagerdutyUser: { id: string; name: string; email: string };
      existingLink: { pagerdutyUserId: string; managedByConfig: boolean } | null;
      /** What the user tried in Slack, carried out after linking; null without a usable request. */
      pendingDescription: string | null;
      requestProblem: "expired" | "used" | "missing" | null;
    };

/**
 * Works out what the link page offers the signed-in web user: the PagerDuty user whose email matches
 * the email Slack verified (trimmed, case-insensitive), or why there is none. Nothing is stored.
 */
export async function previewSlackLink(input: { prisma: PrismaClient; webUserId: string; requestToken?: string | null; now?: Date }): Promise<LinkPreview> {
  const { prisma } = input;
  const identity = await slackIdentityOf(prisma, input.webUserId);
  const request = input.requestToken ? await findLinkRequest(prisma, input.requestToken, input.now) : null;
  if (!identity) return { kind: "needs_slack_sign_in", reason: "no_slack_identity" };
  if (request?.request && !sameSlackUser(identity, request.request)) return { kind: "needs_slack_sign_in", reason: "other_slack_user" };

  const workspace = await prisma.slackWorkspace.findUnique({ where: { slackTeamId: identity.slackTeamId }, select: { id: true } });
  if (!workspace) return { kind: "workspace_not_mapped", slackTeamId: identity.slackTeamId };
  const client = await getPagerDutyClient();
  if (!client) return { kind: "pagerduty_not_configured" };
  const pagerdutyUser = await findPagerDutyUserByEmail(client, identity.email);
  if (!pagerdutyUser) return { kind: "no_pagerduty_user", email: identity.email, slackUserId: identity.slackUserId, slackTeamId: identity.slackTeamId };

  const existing = await findLink(prisma, identity);
  const pending = request?.status === "usable" ? parsePendingAction(request.request.pendingAction) : null;
  return {
    kind: "ready",
    email: identity.email,
    slackTeamId: identity.slackTeamId,
    slackUserId: identity.slackUserId,
    pagerdutyUser: { id: pagerdutyUser.id, name: pagerdutyUser.name, email: pagerdutyUser.email },
    existingLink: existing ? { pagerdutyUserId: existing.pagerdutyUserId, managedByConfig: existing.managedBy === "config" } : null,
    pendingDescription: pending ? describePendingAction(pending) : null,
    requestProblem: request && request.status !== "usable" ? request.status : null,
  };
}

export interface LinkResult {
  pagerdutyUser: { id: string; name: string; email: string };
  /** True when the action the user tried in Slack was queued to run. */
  resumed: boolean;
}

/**
 * Links the web user's Slack identity (recorded by Sign in with Slack, so proven by Slack) to the
 * PagerDuty user with the email Slack verified, after the user confirmed on the link page. A usable
 * link request of the same Slack user has its pending action queued. Audited.
 */
export async function linkSlackAccount(input: { prisma: PrismaClient; webUserId: string; requestToken?: string | null; now?: Date }): Promise<LinkResult> {
  const { prisma } = input;
  const now = input.now ?? new Date();
  const identity = await slackIdentityOf(prisma, input.webUserId);
  if (!identity) throw new AppError("forbidden", "Sign in with Slack first: Switchboard links the Slack account that Slack confirms you own, never a typed-in one.");

  const workspace = await prisma.slackWorkspace.findUnique({ where: { slackTeamId: identity.slackTeamId }, select: { id: true } });
  if (!workspace) {
    throw new AppError("not_found", `Your Slack workspace (${identity.slackTeamId}) is not connected to Switchboard. Ask a Switchboard admin to map it under Slack Workspace Mapping.`);
  }
  const client = await getPagerDutyClient();
  if (!client) throw new AppError("not_configured", "Switchboard is not connected to PagerDuty yet. Ask a Switchboard admin to set the PagerDuty API token under Settings.");

  let pagerdutyUser: RestUser | null;
  try {
    pagerdutyUser = await findPagerDutyUserByEmail(client, identity.email);
  } catch (error) {
    log.warn({ err: error, webUserId: identity.userId }, "Could not look up the PagerDuty user to link");
    throw new AppError("upstream_failed", "PagerDuty did not answer the user lookup. Try again in a minute.");
  }
  if (!pagerdutyUser) {
    throw new AppError("not_found", `No PagerDuty user has the email ${identity.email}. Ask a Switchboard admin to link your Slack account by hand.`);
  }
  const matched = pagerdutyUser;

  const resumed = await prisma.$transaction(async (tx) => {
    const existing = await tx.linkedUser.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId: identity.slackTeamId, slackUserId: identity.slackUserId } } });
    if (existing?.managedBy === "config" && existing.pagerdutyUserId !== matched.id) {
      throw new AppError("managed_by_config", "Your Slack account is linked in Switchboard's configuration file, so it can't be changed here. Ask a Switchboard admin.");
    }
    if (existing?.managedBy !== "config") {
      const link = await tx.linkedUser.upsert({
        where: { slackTeamId_slackUserId: { slackTeamId: identity.slackTeamId, slackUserId: identity.slackUserId } },
        create: { slackTeamId: identity.slackTeamId, slackUserId: identity.slackUserId, pagerdutyUserId: matched.id, pagerdutyEmail: matched.email, linkMethod: "slack_sign_in" },
        update: { pagerdutyUserId: matched.id, pagerdutyEmail: matched.email, linkMethod: "slack_sign_in" },
      });
      await recordAudit(tx, {
        actor: { userId: identity.userId, label: identity.email },
        action: "slack_link.create",
        targetType: "slack_link",
        targetId: link.id,
        details: { method: "slack_sign_in", slackTeamId: identity.slackTeamId, slackUserId: identity.slackUserId, pagerdutyUserId: matched.id },
      });
    }

    const request: LinkRequestState | null = input.requestToken ? await findLinkRequest(tx, input.requestToken, now) : null;
    if (request?.status !== "usable" || !sameSlackUser(identity, request.request)) return false;
    // Marking the request used in the same transaction means it resumes at most once.
    const claimed = await tx.slackLinkRequest.updateMany({ where: { id: request.request.id, usedAt: null }, data: { usedAt: now } });
    if (claimed.count === 0 || !parsePendingAction(request.request.pendingAction)) return false;
    await enqueueJob(tx, TASKS.resumeLinkedAction, { linkRequestId: request.request.id }, { jobKey: `resume-link:${request.request.id}`, maxAttempts: 3 });
    return true;
  });

  log.info({ webUserId: identity.userId, slackUserId: identity.slackUserId, pagerdutyUserId: matched.id, resumed }, "Linked a Slack account through Sign in with Slack");
  return { pagerdutyUser: { id: matched.id, name: matched.name, email: matched.email }, resumed };
}

async function slackIdentityOf(prisma: PrismaClient, webUserId: string): Promise<SlackIdentity | null> {
  const user = await prisma.user.findUnique({ where: { id: webUserId } });
  if (!user || user.disabledAt || !user.slackTeamId || !user.slackUserId) return null;
  return { userId: user.id, email: user.email, slackTeamId: user.slackTeamId, slackUserId: user.slackUserId };
}

function sameSlackUser(identity: SlackIdentity, request: { slackTeamId: string; slackUserId: string }): boolean {
  return identity.slackTeamId === request.slackTeamId && identity.slackUserId === request.slackUserId;
}

function findLink(prisma: PrismaClient, identity: SlackIdentity): Promise<LinkedUser | null> {
  return prisma.linkedUser.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId: identity.slackTeamId, slackUserId: identity.slackUserId } } });
}
