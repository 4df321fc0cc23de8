import { teamObject, userObject } from "../objects";
import type { JsonObject } from "../state";
import { BOT, MEMBERS, TEAM, findMember } from "../workspace";
import { SlackApiError, type MethodCall } from "./core";

// POST /api/auth.test: who the token belongs to.
export function authTest(call: MethodCall): JsonObject {
  const token = call.token;
  if (!token) throw new SlackApiError("not_authed");
  const isBot = token.kind === "bot";
  const handle = isBot ? BOT.name : (findMember(token.userId)?.handle ?? token.userId);
  return {
    ok: true,
    url: `${call.server.origin}/`,
    team: TEAM.name,
    user: handle,
    team_id: TEAM.id,
    user_id: token.userId,
    ...(isBot ? { bot_id: BOT.botId } : {}),
    is_enterprise_install: false,
  };
}

// POST /api/team.info: the workspace.
export function teamInfo(call: MethodCall): JsonObject {
  const teamId = call.args.string("team");
  if (teamId && teamId !== TEAM.id) throw new SlackApiError("team_not_found");
  return { ok: true, team: teamObject(call.server.origin) };
}

// POST /api/users.info: one user by id.
export function usersInfo(call: MethodCall): JsonObject {
  const user = userObject(call.args.string("user") ?? "", call.server.origin, new Date(call.server.nowMs()));
  if (!user) throw new SlackApiError("user_not_found");
  return { ok: true, user };
}

// POST /api/users.lookupByEmail: one user by email, compared case-insensitively.
export function usersLookupByEmail(call: MethodCall): JsonObject {
  const email = (call.args.string("email") ?? "").trim().toLowerCase();
  const member = MEMBERS.find((candidate) => candidate.email.toLowerCase() === email);
  if (!email || !member) throw new SlackApiError("users_not_found");
  const user = userObject(member.id, call.server.origin, new Date(call.server.nowMs()));
  return { ok: true, user };
}
