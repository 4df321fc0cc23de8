import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../../db/generated/client";

/** How long an install started in Switchboard may take in Slack before its `state` expires. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** The OAuthState purpose of "Install App into Workspace". */
export const SLACK_INSTALL_PURPOSE = "slack_install";

/** Reason a `state` returned by Slack was rejected. */
export type OAuthStateProblem = "state_missing" | "state_unknown" | "state_used" | "state_expired" | "state_other_user";

export type OAuthStateCheck = { ok: true; returnTo: string | null } | { ok: false; problem: OAuthStateProblem };

/** SHA-256 (hex) of a state value: only the hash is stored, so a database reader cannot replay a state. */
export function hashOAuthState(state: string): string {
  return createHash("sha256").update(state, "utf8").digest("hex");
}

/**
 * Creates a random `state` for an OAuth flow, bound to the signed-in user and usable once within
 * OAUTH_STATE_TTL_MS. Expired states older than a day are deleted on the way.
 */
export async function createOAuthState(input: {
  prisma: PrismaClient;
  userId: string;
  purpose: string;
  returnTo?: string | null;
  now?: Date;
}): Promise<{ state: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const state = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + OAUTH_STATE_TTL_MS);
  await input.prisma.oAuthState.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 24 * 60 * 60 * 1000) } } });
  await input.prisma.oAuthState.create({
    data: { stateHash: hashOAuthState(state), purpose: input.purpose, userId: input.userId, returnTo: input.returnTo ?? null, expiresAt },
  });
  return { state, expiresAt };
}

/**
 * Checks a `state` that came back from Slack and marks it used. It must exist for this purpose, be
 * unused and unexpired, and belong to the user who is signed in now. A state is marked used even
 * when it belongs to another user, so a leaked state cannot be tried twice.
 */
export async function consumeOAuthState(input: {
  prisma: PrismaClient;
  state: string | null | undefined;
  userId: string;
  purpose: string;
  now?: Date;
}): Promise<OAuthStateCheck> {
  const now = input.now ?? new Date();
  if (!input.state) return { ok: false, problem: "state_missing" };
  const stateHash = hashOAuthState(input.state);

  const row = await input.prisma.oAuthState.findUnique({ where: { stateHash } });
  if (!row || row.purpose !== input.purpose) return { ok: false, problem: "state_unknown" };
  if (row.usedAt) return { ok: false, problem: "state_used" };

  // The conditional update decides a race between two callbacks with the same state: one wins.
  const claimed = await input.prisma.oAuthState.updateMany({ where: { stateHash, usedAt: null }, data: { usedAt: now } });
  if (claimed.count === 0) return { ok: false, problem: "state_used" };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: "state_expired" };
  if (row.userId !== input.userId) return { ok: false, problem: "state_other_user" };
  return { ok: true, returnTo: row.returnTo };
}
