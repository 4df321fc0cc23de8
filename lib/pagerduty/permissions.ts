/** PagerDuty base roles, as the REST API spells them. */
export const PAGERDUTY_ROLES = [
  "owner",
  "admin",
  "user",
  "limited_user",
  "observer",
  "restricted_access",
  "read_only_user",
  "read_only_limited_user",
] as const;

export type PagerDutyRole = (typeof PAGERDUTY_ROLES)[number];

/** Roles that may read incidents but never change them. */
const READ_ONLY_ROLES = new Set<string>(["observer", "read_only_user", "read_only_limited_user"]);

/** Roles that act only on services of one of their own teams. */
const TEAM_SCOPED_ROLES = new Set<string>(["limited_user", "restricted_access"]);

export type IncidentPermission =
  | { allowed: true }
  | { allowed: false; reason: "read_only_role" | "not_on_service_team" | "unknown_role"; message: string };

const ROLE_NAMES: Record<string, string> = {
  observer: "Observer",
  read_only_user: "Read-Only User",
  read_only_limited_user: "Read-Only Limited User",
  limited_user: "Limited User",
  restricted_access: "Restricted Access",
};

/** Decides whether a PagerDuty user may act on incidents of a service, as PagerDuty would. */
export function checkIncidentPermission(input: { role: string; userTeamIds: string[]; serviceTeamIds: string[] }): IncidentPermission {
  const { role } = input;
  if (READ_ONLY_ROLES.has(role)) {
    return {
      allowed: false,
      reason: "read_only_role",
      message: `Your PagerDuty role (${ROLE_NAMES[role]}) can view incidents but not change them. Ask a PagerDuty admin for the Responder role if you need to act on incidents.`,
    };
  }
  if (TEAM_SCOPED_ROLES.has(role)) {
    const userTeams = new Set(input.userTeamIds);
    if (!input.serviceTeamIds.some((teamId) => userTeams.has(teamId))) {
      return {
        allowed: false,
        reason: "not_on_service_team",
        message: `Your PagerDuty role (${ROLE_NAMES[role]}) acts only on services of your own teams, and this service belongs to none of them. Ask a PagerDuty admin to add you to the service's team.`,
      };
    }
    return { allowed: true };
  }
  if ((PAGERDUTY_ROLES as readonly string[]).includes(role)) return { allowed: true };
  return { allowed: false, reason: "unknown_role", message: `Your PagerDuty role "${role}" is not one Switchboard knows, so it does not act for you.` };
}
