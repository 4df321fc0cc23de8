import { getServerSession } from "next-auth";
import { getPrisma } from "../db/client";
import { AppError } from "../errors";
import { getAuthOptions } from "./options";
import { refreshPagerDutyRole, roleIsStale } from "./refresh-role";
import { checkAdmin } from "./roles";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  isOwner: boolean;
  pagerdutyUserId: string | null;
  pagerdutyRole: string | null;
  isAdmin: boolean;
  /** The reason the user may not administer, shown on read-only pages; null for admins. */
  readOnlyReason: string | null;
}

/** Returns the signed-in web user, with a PagerDuty role at most an hour old, or null when signed out. */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = (await getServerSession(getAuthOptions())) as { userId?: string } | null;
  if (!session?.userId) return null;
  const prisma = getPrisma();
  let user = await prisma.user.findUnique({ where: { id: session.userId } });
  if (!user || user.disabledAt) return null;
  if (roleIsStale(user)) user = await refreshPagerDutyRole(prisma, user);
  const admin = checkAdmin(user);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isOwner: user.isOwner,
    pagerdutyUserId: user.pagerdutyUserId,
    pagerdutyRole: user.pagerdutyRole,
    isAdmin: admin.allowed,
    readOnlyReason: admin.allowed ? null : admin.reason,
  };
}

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "Sign in to Switchboard first.");
  return user;
}

/** Returns the signed-in user when they may administer Switchboard and throws otherwise. Call it in every admin action. */
export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (!user.isAdmin) throw new AppError("forbidden", user.readOnlyReason ?? "You may not change Switchboard's configuration.");
  return user;
}
