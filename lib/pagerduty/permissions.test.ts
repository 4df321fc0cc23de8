import { describe, expect, it } from "vitest";
import { checkIncidentPermission } from "./permissions";

describe("checkIncidentPermission", () => {
  it.each(["owner", "admin", "user"])("lets %s act on any service", (role) => {
    expect(checkIncidentPermission({ role, userTeamIds: [], serviceTeamIds: ["PTEAM"] })).toEqual({ allowed: true });
  });

  it.each(["observer", "read_only_user", "read_only_limited_user"])("refuses %s", (role) => {
    const result = checkIncidentPermission({ role, userTeamIds: ["PTEAM"], serviceTeamIds: ["PTEAM"] });
    expect(result.allowed).toBe(false);
    expect(result.allowed === false && result.reason).toBe("read_only_role");
  });

  it.each(["limited_user", "restricted_access"])("lets %s act only on services of its teams", (role) => {
    expect(checkIncidentPermission({ role, userTeamIds: ["PA", "PB"], serviceTeamIds: ["PB"] })).toEqual({ allowed: true });
    const outside = checkIncidentPermission({ role, userTeamIds: ["PA"], serviceTeamIds: ["PB"] });
    expect(outside.allowed === false && outside.reason).toBe("not_on_service_team");
    const noTeams = checkIncidentPermission({ role, userTeamIds: ["PA"], serviceTeamIds: [] });
    expect(noTeams.allowed).toBe(false);
  });

  it("refuses a role it does not know", () => {
    const result = checkIncidentPermission({ role: "stakeholder", userTeamIds: [], serviceTeamIds: [] });
    expect(result.allowed === false && result.reason).toBe("unknown_role");
  });
});
