import { recordAudit } from "../audit/record-audit";
import { Prisma, type PrismaClient, type User } from "../db/generated/client";
import { scopedLogger } from "../log";
import type { RestUser } from "../pagerduty/client";
import { getPagerDutyClient } from "../pagerduty/connection";
import { findPagerDutyUserByEmail, refreshPagerDutyRole } from "./refresh-role";
import { slackIdTokenClaimsSchema } from "./slack-provider";

const log = scopedLogger("auth");

export type SlackSignInRejection = "SlackProfileIncomplete" | "SlackEmailUnverified" | "SlackNotAllowed" | "AccountDisabled";

export type SlackSignInResult = { ok: true; user: User; created: boolean } | { ok: false; reason: SlackSignInRejection };

/**
 * Finds or creates the web user for a verified Slack identity (the claims of Slack's ID token) and
 * refreshes their PagerDuty role. The user is found by email; their Slack team and user ids are
 * recorded. A new account is created only for a member of a Slack workspace mapped in Switchboard,
 * or for a person whose email belongs to a user of the connected PagerDuty account.
 */
export async function signInWithSlack(input: { prisma: PrismaClient; claims: unknown; now?: Date }): Promise<SlackSignInResult> {
  const { prisma } = input;
  const now = input.now ?? new Date();
  const parsed = slackIdTokenClaimsSchema.safeParse(input.claims);
  if (!parsed.success) {
    log.warn({ issues: parsed.error.issues.map((issue) => issue.path.join(".")) }, "Slack sign-in rejected: the ID token lacks required claims");
    return { ok: false, reason: "SlackProfileIncomplete" };
  }
  const claims = parsed.data;
  const identity = {
    email: claims.email,
    name: claims.name?.trim() || claims.email,
    slackTeamId: claims["https://slack.com/team_id"],
    slackUserId: claims["https://slack.com/user_id"],
  };
  if (claims.email_verified !== true) {
    log.info({ slackTeamId: identity.slackTeamId, slackUserId: identity.slackUserId }, "Slack sign-in rejected: Slack has not verified the email");
    return { ok: false, reason: "SlackEmailUnverified" };
  }

  const existing = await prisma.user.findUnique({ where: { email: identity.email } });
  if (existing) return signInExisting(prisma, existing, identity, now);

  const workspace = await prisma.slackWorkspace.findUnique({ where: { slackTeamId: identity.slackTeamId }, select: { id: true } });
  const pagerdutyUser = workspace ? undefined : await lookUpPagerDutyUser(identity.email);
  if (!workspace && !pagerdutyUser) {
    log.info({ slackTeamId: identity.slackTeamId, slackUserId: identity.slackUserId }, "Slack sign-in rejected: unmapped workspace and no PagerDuty user with this email");
    return { ok: false, reason: "SlackNotAllowed" };
  }

  let created: User;
  try {
    created = await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          email: identity.email,
          name: identity.name,
          slackTeamId: identity.slackTeamId,
          slackUserId: identity.slackUserId,
          lastSignInAt: now,
          ...(pagerdutyUser ? { pagerdutyUserId: pagerdutyUser.id, pagerdutyRole: pagerdutyUser.role, roleCheckedAt: now } : {}),
        },
      });
      await recordAudit(tx, {
        actor: { userId: user.id, label: user.email },
        action: "user.create",
        targetType: "user",
        targetId: user.id,
        details: { method: "slack", slackTeamId: identity.slackTeamId, slackUserId: identity.slackUserId },
      });
      return user;
    });
  } catch (error) {
    // Two sign-ins of the same person at once: the other one created the account.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const winner = await prisma.user.findUnique({ where: { email: identity.email } });
      if (winner) return signInExisting(prisma, winner, identity, now);
    }
    throw error;
  }
  log.info({ userId: created.id, slackTeamId: identity.slackTeamId }, "Created a web user at their first Sign in with Slack");
  const user = pagerdutyUser ? created : await refreshPagerDutyRole(prisma, created, now);
  return { ok: true, user, created: true };
}

interface SlackIdentity {
  email: string;
  name: string;
  slackTeamId: string;
  slackUserId: string;
}

async function signInExisting(prisma: PrismaClient, existing: User, identity: SlackIdentity, now: Date): Promise<SlackSignInResult> {
  if (existing.disabledAt) {
    log.info({ userId: existing.id }, "Slack sign-in rejected: the account is disabled");
    return { ok: false, reason: "AccountDisabled" };
  }
  const updated = await prisma.user.update({
    where: { id: existing.id },
    data: { slackTeamId: identity.slackTeamId, slackUserId: identity.slackUserId, lastSignInAt: now },
  });
  return { ok: true, user: await refreshPagerDutyRole(prisma, updated, now), created: false };
}

/** The PagerDuty user with this email, or null when there is none, no connection, or PagerDuty fails. */
async function lookUpPagerDutyUser(email: string): Promise<RestUser | null> {
  const client = await getPagerDutyClient();
  if (!client) return null;
  try {
    return await findPagerDutyUserByEmail(client, email);
  } catch (error) {
    log.warn({ err: error }, "Could not look up the PagerDuty user of a Slack sign-in");
    return null;
  }
}
