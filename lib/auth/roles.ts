/** PagerDuty base roles that administer Switchboard: create, change and delete mappings and extensions. */
const ADMIN_ROLES = new Set(["owner", "admin"]);

const ROLE_LABELS: Record<string, string> = {
  owner: "Account Owner",
  admin: "Global Admin",
  user: "Responder",
  limited_user: "Limited User",
  observer: "Observer",
  restricted_access: "Restricted Access",
  read_only_user: "Read-Only User",
  read_only_limited_user: "Read-Only Limited User",
};

export function roleLabel(role: string | null | undefined): string {
  if (!role) return "No PagerDuty user";
  return ROLE_LABELS[role] ?? role;
}

export interface RoleHolder {
  isOwner: boolean;
  pagerdutyRole: string | null;
}

export type AdminCheck = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether a web user may administer Switchboard. The owner account always may; everyone else needs
 * the PagerDuty base role Owner or Global Admin.
 */
export function checkAdmin(user: RoleHolder): AdminCheck {
  if (user.isOwner) return { allowed: true };
  if (user.pagerdutyRole && ADMIN_ROLES.has(user.pagerdutyRole)) return { allowed: true };
  const role = user.pagerdutyRole ? `your PagerDuty role is ${roleLabel(user.pagerdutyRole)}` : "your account is not tied to a PagerDuty user";
  return {
    allowed: false,
    reason: `Only PagerDuty Account Owners and Global Admins can change Switchboard's configuration, and ${role}. You can view this page.`,
  };
}
