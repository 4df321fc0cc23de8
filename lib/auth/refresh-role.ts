import type { PrismaClient, User } from "../db/generated/client";
import { scopedLogger } from "../log";
import type { PagerDutyClient, RestUser } from "../pagerduty/client";
import { getPagerDutyClient } from "../pagerduty/connection";

/** A web user's PagerDuty role is trusted for this long before it is read again. */
export const ROLE_MAX_AGE_MS = 60 * 60 * 1000;

const log = scopedLogger("auth");

/** Finds the PagerDuty user whose email matches (trimmed, case-insensitive), or null. */
export async function findPagerDutyUserByEmail(client: PagerDutyClient, email: string): Promise<RestUser | null> {
  const wanted = email.trim().toLowerCase();
  const matches = (users: RestUser[]) => users.find((user) => user.email.trim().toLowerCase() === wanted) ?? null;
  const byQuery = await client.listAll<RestUser>("/users", "users", { query: wanted, "include[]": ["teams"] });
  return matches(byQuery) ?? matches(await client.listAll<RestUser>("/users", "users", { "include[]": ["teams"] }));
}

/**
 * Ties a web user to the PagerDuty user with the same email and stores that user's role. Without a
 * PagerDuty connection, or when PagerDuty fails, the stored role stays as it was.
 */
export async function refreshPagerDutyRole(prisma: PrismaClient, user: User, now = new Date()): Promise<User> {
  const client = await getPagerDutyClient();
  if (!client) return user;
  try {
    const match = await findPagerDutyUserByEmail(client, user.email);
    return await prisma.user.update({
      where: { id: user.id },
      data: { pagerdutyUserId: match?.id ?? null, pagerdutyRole: match?.role ?? null, roleCheckedAt: now },
    });
  } catch (error) {
    log.warn({ userId: user.id, err: error }, "Could not refresh the PagerDuty role; keeping the stored one");
    return user;
  }
}

export function roleIsStale(user: Pick<User, "roleCheckedAt">, now = new Date()): boolean {
  return !user.roleCheckedAt || now.getTime() - user.roleCheckedAt.getTime() > ROLE_MAX_AGE_MS;
}
