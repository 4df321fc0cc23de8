import type { AppReply } from "../app-client";
import type { ServerContext } from "../context";
import { randomHex, type JsonObject, type ResponseUrlSource } from "../state";
import { TEAM, findMember } from "../workspace";

/** A request from the page or the control API that cannot be carried out; `status` is the HTTP status. */
export class InteractionError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function payloadTeam(): JsonObject {
  return { id: TEAM.id, domain: TEAM.domain };
}

/** Builds the `user` object of interaction payloads. */
export function payloadUser(userId: string): JsonObject {
  const member = findMember(userId);
  if (!member) throw new InteractionError("user_not_found", 404, `No workspace member has the Slack user id ${userId}.`);
  return { id: member.id, username: member.handle, name: member.handle, team_id: TEAM.id };
}

let responseUrlCounter = 1000;

/**
 * Registers a response_url on the fake, shaped like Slack's hooks URLs
 * (`/actions/<team>/<id>/<secret>` for interactions, `/commands/...` for slash commands).
 */
export function issueResponseUrl(server: ServerContext, userId: string, source: ResponseUrlSource): string {
  responseUrlCounter += 1;
  const kind = source.kind === "command" ? "commands" : "actions";
  const path = `/${kind}/${TEAM.id}/${responseUrlCounter}/${randomHex(12)}`;
  server.state.responseUrls.set(path, { createdMs: server.nowMs(), uses: 0, userId, source });
  return `${server.origin}${path}`;
}

/** Encodes the x-www-form-urlencoded body Slack sends for interactions: one `payload` field of JSON. */
export function payloadForm(payload: JsonObject): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Formats an `action_ts`-style timestamp: seconds with six decimals. */
export function actionTimestamp(nowMs: number): string {
  return (nowMs / 1000).toFixed(6);
}

/**
 * Returns the notice Slack shows the user when the app's response to an interaction fails, or null
 * when it succeeded.
 */
export function appFailureNotice(reply: AppReply): string | null {
  // NOTE: these texts approximate what Slack's client shows; the unreachable-app text is this fake's own.
  if (reply.timedOut) return "This app didn't respond in time";
  if (reply.status === null) return "This app couldn't be reached";
  if (reply.status < 200 || reply.status > 299) return `This app responded with status code ${reply.status}`;
  return null;
}

/** Parses the app's JSON reply body as an object; returns null for empty, non-JSON or non-object bodies. */
export function replyJson(reply: AppReply): JsonObject | null {
  if (!reply.body.trim()) return null;
  try {
    const parsed: unknown = JSON.parse(reply.body);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as JsonObject) : null;
  } catch {
    return null;
  }
}
