import type { PrismaClient } from "../db/generated/client";
import type { PagerDutyClient } from "./client";

export interface PagerDutyUserProfile {
  pagerdutyUserId: string;
  name: string;
  email: string;
  role: string;
  teamIds: string[];
}

/** How long a fetched role is trusted before PagerDuty is asked again. */
const PROFILE_MAX_AGE_MS = 10 * 60 * 1000;

/**
 * The PagerDuty user's name, email, role and teams, from the cache when it is fresh and from
 * PagerDuty otherwise, so a role change there takes effect here within minutes.
 */
export async function getPagerDutyUserProfile(input: {
  prisma: PrismaClient;
  client: PagerDutyClient;
  pagerdutyUserId: string;
  now?: Date;
}): Promise<PagerDutyUserProfile> {
  const now = input.now ?? new Date();
  const cached = await input.prisma.pagerdutyUserCache.findUnique({ where: { pagerdutyUserId: input.pagerdutyUserId } });
  if (cached && now.getTime() - cached.fetchedAt.getTime() < PROFILE_MAX_AGE_MS) {
    return { pagerdutyUserId: cached.pagerdutyUserId, name: cached.name, email: cached.email, role: cached.role, teamIds: cached.teamIds };
  }

  const { user } = await input.client.getUser(input.pagerdutyUserId);
  const profile: PagerDutyUserProfile = {
    pagerdutyUserId: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    teamIds: (user.teams ?? []).map((team) => team.id),
  };
  await input.prisma.pagerdutyUserCache.upsert({
    where: { pagerdutyUserId: user.id },
    create: { ...profile, fetchedAt: now },
    update: { name: profile.name, email: profile.email, role: profile.role, teamIds: profile.teamIds, fetchedAt: now },
  });
  return profile;
}
