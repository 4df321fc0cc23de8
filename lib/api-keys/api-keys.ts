import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { parseInput } from "../extensions/parse-input";
import { scopedLogger } from "../log";

const log = scopedLogger("api-keys");

/** Every key starts with this, so that secret scanners and people can recognise one. */
export const API_KEY_PREFIX = "sbk_";
/** Characters of the key kept in clear text and shown, to tell keys apart: the prefix and 8 more. */
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

/** Generates a key: "sbk_" and 32 random bytes in base64url (43 characters). */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** Hashes a key for storage: its SHA-256 in hex. The key has 256 random bits, so no salt or slow hash is needed. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export interface ApiKeyView {
  id: string;
  name: string;
  /** The first characters of the key, for example "sbk_Ab3dEf9h". */
  prefix: string;
  createdBy: { id: string; email: string; name: string };
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
}

const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
});

type ApiKeyRow = Awaited<ReturnType<typeof findKeys>>[number];

function findKeys(prisma: PrismaClient) {
  return prisma.apiKey.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    include: { createdBy: { select: { id: true, email: true, name: true } } },
  });
}

function toView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedReason: row.revokedReason,
  };
}

/** Lists every API key, active ones first, newest first. */
export async function listApiKeys(input: { prisma: PrismaClient }): Promise<ApiKeyView[]> {
  return (await findKeys(input.prisma)).map(toView);
}

/** Creates a key for an admin, audited. The returned `key` is the only time the key is seen. */
export async function createApiKey(input: { prisma: PrismaClient; actor: AuditActor & { userId: string }; input: unknown }): Promise<{ key: string; apiKey: ApiKeyView }> {
  const { name } = parseInput(createApiKeySchema, input.input);
  const key = generateApiKey();
  const row = await input.prisma.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: { name, prefix: key.slice(0, SHOWN_PREFIX_LENGTH), keyHash: hashApiKey(key), createdById: input.actor.userId },
      include: { createdBy: { select: { id: true, email: true, name: true } } },
    });
    await recordAudit(tx, { actor: input.actor, action: "api_key.create", targetType: "api_key", targetId: created.id, details: { name, prefix: created.prefix } });
    return created;
  });
  log.info({ apiKeyId: row.id }, "API key created");
  return { key, apiKey: toView(row) };
}

/** Revokes a key, audited. Revoking a revoked key changes nothing. */
export async function revokeApiKey(input: { prisma: PrismaClient; actor: AuditActor; id: string; reason?: string }): Promise<ApiKeyView> {
  const { prisma, actor } = input;
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.id);
  const existing = isUuid ? await prisma.apiKey.findUnique({ where: { id: input.id } }) : null;
  if (!existing) throw new AppError("not_found", `No API key has the ID "${input.id}".`);
  if (!existing.revokedAt) {
    const reason = input.reason ?? `revoked by ${actor.label}`;
    await prisma.$transaction(async (tx) => {
      await tx.apiKey.update({ where: { id: existing.id }, data: { revokedAt: new Date(), revokedReason: reason } });
      await recordAudit(tx, { actor, action: "api_key.revoke", targetType: "api_key", targetId: existing.id, details: { name: existing.name, prefix: existing.prefix, reason } });
    });
    log.info({ apiKeyId: existing.id }, "API key revoked");
  }
  const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: existing.id }, include: { createdBy: { select: { id: true, email: true, name: true } } } });
  return toView(row);
}
