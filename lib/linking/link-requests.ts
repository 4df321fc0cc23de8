import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient, SlackLinkRequest } from "../db/generated/client";
import { getEnv } from "../config/env";
import type { PendingAction } from "./pending-action";

/** A link request lasts as long as the response_url it may answer through: 30 minutes. */
export const LINK_REQUEST_TTL_MS = 30 * 60 * 1000;

export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The page where a Slack user connects their PagerDuty account, for one link request. */
export function linkPageUrl(token: string, appUrl = getEnv().appUrl): string {
  return `${appUrl}/link?request=${encodeURIComponent(token)}`;
}

/**
 * Records that a Slack user tried to act before linking, with what they tried, and returns the
 * token for the link page. Only the token's SHA-256 is stored.
 */
export async function createLinkRequest(input: {
  prisma: PrismaClient;
  slackTeamId: string;
  slackUserId: string;
  pendingAction: PendingAction | null;
  slackChannelId?: string;
  responseUrl?: string;
  now?: Date;
}): Promise<{ token: string; url: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + LINK_REQUEST_TTL_MS);
  await input.prisma.slackLinkRequest.create({
    data: {
      tokenHash: hashLinkToken(token),
      slackTeamId: input.slackTeamId,
      slackUserId: input.slackUserId,
      pendingAction: input.pendingAction ?? undefined,
      slackChannelId: input.slackChannelId ?? null,
      responseUrl: input.responseUrl ?? null,
      expiresAt,
      createdAt: now,
    },
  });
  return { token, url: linkPageUrl(token), expiresAt };
}

export type LinkRequestState =
  | { status: "usable"; request: SlackLinkRequest }
  | { status: "missing" | "expired" | "used"; request: SlackLinkRequest | null };

/** Finds the link request of a token and says whether it can still carry out its pending action. */
export async function findLinkRequest(prisma: Pick<PrismaClient, "slackLinkRequest">, token: string | null | undefined, now = new Date()): Promise<LinkRequestState> {
  if (!token) return { status: "missing", request: null };
  const request = await prisma.slackLinkRequest.findUnique({ where: { tokenHash: hashLinkToken(token) } });
  if (!request) return { status: "missing", request: null };
  if (request.usedAt) return { status: "used", request };
  if (request.expiresAt.getTime() <= now.getTime()) return { status: "expired", request };
  return { status: "usable", request };
}
