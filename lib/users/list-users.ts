import { checkAdmin, roleLabel } from "../auth/roles";
import type { PrismaClient } from "../db/generated/client";
import { invitationState } from "./invitations";

export type SignInMethod = "password" | "slack";

/** A web user as the Users page and GET /api/admin/users show them. Dates are ISO 8601 strings. */
export interface UserView {
  id: string;
  name: string;
  email: string;
  isOwner: boolean;
  /** Whether the user may administer Switchboard (owner, or PagerDuty role owner or admin). */
  isAdmin: boolean;
  pagerdutyUserId: string | null;
  /** The PagerDuty user's name when Switchboard has seen it; null otherwise. */
  pagerdutyUserName: string | null;
  pagerdutyRole: string | null;
  roleLabel: string;
  roleCheckedAt: string | null;
  signInMethods: SignInMethod[];
  lastSignInAt: string | null;
  disabledAt: string | null;
  createdAt: string;
}

/** An invitation that was neither accepted nor revoked. */
export interface InvitationView {
  id: string;
  email: string;
  state: "pending" | "expired";
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface UserDirectory {
  users: UserView[];
  invitations: InvitationView[];
}

/** Lists web users (owner first, then by name) and the invitations still open or expired unused. */
export async function listUsers(input: { prisma: PrismaClient; now?: Date }): Promise<UserDirectory> {
  const { prisma } = input;
  const now = input.now ?? new Date();
  const [users, invitations] = await Promise.all([
    prisma.user.findMany({ orderBy: [{ isOwner: "desc" }, { name: "asc" }, { email: "asc" }] }),
    prisma.invitation.findMany({
      where: { acceptedAt: null, revokedAt: null },
      orderBy: { createdAt: "desc" },
      include: { invitedBy: { select: { email: true } } },
    }),
  ]);
  const pagerdutyIds = users.map((user) => user.pagerdutyUserId).filter((id): id is string => Boolean(id));
  const cached = pagerdutyIds.length
    ? await prisma.pagerdutyUserCache.findMany({ where: { pagerdutyUserId: { in: pagerdutyIds } }, select: { pagerdutyUserId: true, name: true } })
    : [];
  const pagerdutyNames = new Map(cached.map((row) => [row.pagerdutyUserId, row.name]));

  return {
    users: users.map((user) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      isOwner: user.isOwner,
      isAdmin: checkAdmin(user).allowed,
      pagerdutyUserId: user.pagerdutyUserId,
      pagerdutyUserName: user.pagerdutyUserId ? (pagerdutyNames.get(user.pagerdutyUserId) ?? null) : null,
      pagerdutyRole: user.pagerdutyRole,
      roleLabel: roleLabel(user.pagerdutyRole),
      roleCheckedAt: user.roleCheckedAt?.toISOString() ?? null,
      signInMethods: [...(user.passwordHash ? (["password"] as const) : []), ...(user.slackUserId ? (["slack"] as const) : [])],
      lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
      disabledAt: user.disabledAt?.toISOString() ?? null,
      createdAt: user.createdAt.toISOString(),
    })),
    invitations: invitations.map((invitation) => ({
      id: invitation.id,
      email: invitation.email,
      state: invitationState(invitation, now) === "expired" ? "expired" : "pending",
      invitedBy: invitation.invitedBy?.email ?? null,
      createdAt: invitation.createdAt.toISOString(),
      expiresAt: invitation.expiresAt.toISOString(),
    })),
  };
}
