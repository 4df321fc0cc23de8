import { randomBytes } from "node:crypto";
import type { PrismaClient, User } from "../db/generated/client";
import { scopedLogger } from "../log";
import { hashPassword, verifyPassword } from "./password";
import { refreshPagerDutyRole } from "./refresh-role";

const log = scopedLogger("auth");

export type PasswordSignInResult = { ok: true; user: User } | { ok: false; reason: "CredentialsSignin" | "AccountDisabled" };

let dummyHash: Promise<string> | undefined;

/**
 * Checks an email and password and, when they match an enabled user, refreshes the user's PagerDuty
 * role and records the sign-in. An unknown email costs one scrypt run like a known one, so the
 * response time does not tell which emails have accounts. "AccountDisabled" is only returned after
 * the password matched.
 */
export async function signInWithPassword(input: { prisma: PrismaClient; email: string; password: string; now?: Date }): Promise<PasswordSignInResult> {
  const { prisma, email, password } = input;
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user?.passwordHash) {
    dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
    await verifyPassword(password, await dummyHash);
    log.info({ email }, "Password sign-in failed: no user with a password has this email");
    return { ok: false, reason: "CredentialsSignin" };
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    log.info({ userId: user.id }, "Password sign-in failed: wrong password");
    return { ok: false, reason: "CredentialsSignin" };
  }
  if (user.disabledAt) {
    log.info({ userId: user.id }, "Password sign-in rejected: the account is disabled");
    return { ok: false, reason: "AccountDisabled" };
  }
  const now = input.now ?? new Date();
  await refreshPagerDutyRole(prisma, user, now);
  const signedIn = await prisma.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
  return { ok: true, user: signedIn };
}
