import type { AuditActor } from "../audit/record-audit";
import { refreshPagerDutyRole, roleIsStale } from "../auth/refresh-role";
import { checkAdmin } from "../auth/roles";
import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { scopedLogger } from "../log";
import { API_KEY_PREFIX, hashApiKey, revokeApiKey } from "./api-keys";

const log = scopedLogger("api-keys");

/** lastUsedAt is written at most this often per key, so busy scripts do not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The actor of a JSON API request: the key's creator, shown in the audit log as "API key <name>". */
export interface ApiKeyActor extends AuditActor {
  userId: string;
  apiKeyId: string;
}

/** The automatic revocation's actor in the audit log. */
const SYSTEM_ACTOR: AuditActor = { userId: null, label: "Switchboard" };

/**
 * Checks the bearer key of a JSON API request and that its creator may still administer
 * Switchboard. A key whose creator was disabled or is no longer a PagerDuty Owner or Global Admin
 * is revoked with that reason and the request rejected with 403; later uses get 401.
 */
export async function authenticateApiKey(input: { prisma: PrismaClient; authorization: string | null; now?: Date }): Promise<ApiKeyActor> {
  const { prisma } = input;
  const now = input.now ?? new Date();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(input.authorization ?? "");
  if (!match) throw new AppError("unauthenticated", `Missing API key: send "Authorization: Bearer ${API_KEY_PREFIX}…" with a key from Settings → API keys.`);
  const key = match[1]!;

  const apiKey = key.startsWith(API_KEY_PREFIX) ? await prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(key) }, include: { createdBy: true } }) : null;
  if (!apiKey) throw new AppError("unauthenticated", "The API key is not valid. Create a key in Settings → API keys.");
  if (apiKey.revokedAt) {
    throw new AppError("unauthenticated", `The API key "${apiKey.name}" was revoked on ${apiKey.revokedAt.toISOString()}${apiKey.revokedReason ? ` (${apiKey.revokedReason})` : ""}. Create a new key in Settings → API keys.`);
  }

  let creator = apiKey.createdBy;
  let problem: string | null = null;
  if (creator.disabledAt) {
    problem = `its creator ${creator.email} was disabled`;
  } else {
    if (roleIsStale(creator, now)) creator = await refreshPagerDutyRole(prisma, creator, now);
    if (!checkAdmin(creator).allowed) problem = `its creator ${creator.email} is no longer a PagerDuty Account Owner or Global Admin`;
  }
  if (problem) {
    await revokeApiKey({ prisma, actor: SYSTEM_ACTOR, id: apiKey.id, reason: problem });
    log.warn({ apiKeyId: apiKey.id, creatorId: creator.id }, "API key revoked because its creator may no longer administer Switchboard");
    throw new AppError("forbidden", `The API key "${apiKey.name}" was revoked because ${problem}. An admin can create a new key in Settings → API keys.`);
  }

  if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma.apiKey.update({ where: { id: apiKey.id }, data: { lastUsedAt: now } });
  }
  return { userId: creator.id, label: `API key ${apiKey.name}`, apiKeyId: apiKey.id };
}
