import type { PrismaClient } from "../db/generated/client";
import type { PagerDutyClient } from "../pagerduty/client";
import { getPagerDutyClient } from "../pagerduty/connection";
import { checkIncidentPermission } from "../pagerduty/permissions";
import { getPagerDutyUserProfile, type PagerDutyUserProfile } from "../pagerduty/users";

export type IncidentActorCheck =
  | { allowed: true; profile: PagerDutyUserProfile }
  | { allowed: false; reason: "no_pagerduty_user" | "not_connected" | "role"; message: string };

/**
 * Decides whether a PagerDuty user may act on an incident of a service, as PagerDuty would: the
 * role from a profile at most minutes old and, for team-scoped roles, the service's teams.
 */
export async function checkPagerDutyUserMayAct(input: {
  prisma: PrismaClient;
  pagerdutyUserId: string | null;
  pagerdutyServiceId: string;
  client?: PagerDutyClient | null;
}): Promise<IncidentActorCheck> {
  if (!input.pagerdutyUserId) {
    return {
      allowed: false,
      reason: "no_pagerduty_user",
      message: "Your Switchboard account is not tied to a PagerDuty user, so you can't act on incidents. Sign in with the email address of your PagerDuty user.",
    };
  }
  const client = input.client === undefined ? await getPagerDutyClient() : input.client;
  if (!client) {
    return {
      allowed: false,
      reason: "not_connected",
      message: "Switchboard is not connected to PagerDuty yet, so it cannot check your PagerDuty role. An admin needs to set the API token in Settings → PagerDuty.",
    };
  }

  const profile = await getPagerDutyUserProfile({ prisma: input.prisma, client, pagerdutyUserId: input.pagerdutyUserId });
  const teamScoped = profile.role === "limited_user" || profile.role === "restricted_access";
  const serviceTeamIds = teamScoped ? ((await client.getService(input.pagerdutyServiceId)).service.teams ?? []).map((team) => team.id) : [];
  const permission = checkIncidentPermission({ role: profile.role, userTeamIds: profile.teamIds, serviceTeamIds });
  if (!permission.allowed) return { allowed: false, reason: "role", message: permission.message };
  return { allowed: true, profile };
}
