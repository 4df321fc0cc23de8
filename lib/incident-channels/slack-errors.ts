import type { WebAPICallError } from "@slack/web-api";
import { AppError } from "../errors";
import { slackErrorName } from "../slack/client";

/** The Slack operation that failed, named in the error message. */
export type ChannelOperation = "create" | "list" | "invite" | "join" | "archive" | "read";

const TOKEN_ERRORS = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "team_access_not_granted"]);

/** Returns the scope an operation needs, for when Slack's missing_scope response does not name it. */
function scopeFor(operation: ChannelOperation, isPrivate: boolean): string {
  switch (operation) {
    case "create":
    case "invite":
    case "archive":
      return isPrivate ? "groups:write" : "channels:manage";
    case "join":
      return "channels:join";
    default:
      return isPrivate ? "groups:read" : "channels:read";
  }
}

function describeOperation(operation: ChannelOperation, isPrivate: boolean, channel: string | undefined): string {
  const kind = isPrivate ? "private channel" : "channel";
  switch (operation) {
    case "create":
      return `create the ${kind} #${channel}`;
    case "list":
      return "list the workspace's channels";
    case "invite":
      return `invite people to #${channel}`;
    case "join":
      return `join #${channel}`;
    case "archive":
      return `archive #${channel}`;
    default:
      return `read #${channel}`;
  }
}

/**
 * Turns a Slack refusal of a channel call into an AppError whose message states, in plain words, what
 * failed and what to do. Returns null for errors that are not Slack refusals (network failures,
 * timeouts), which the caller rethrows.
 */
export function channelErrorFromSlack(
  error: unknown,
  context: { operation: ChannelOperation; workspaceName: string; isPrivate?: boolean; channelName?: string },
): AppError | null {
  const name = slackErrorName(error);
  if (!name) return null;
  const isPrivate = context.isPrivate ?? false;
  const what = describeOperation(context.operation, isPrivate, context.channelName);
  const workspace = context.workspaceName;

  if (name === "missing_scope") {
    const needed = (error as Partial<WebAPICallError> & { data?: { needed?: string } }).data?.needed ?? scopeFor(context.operation, isPrivate);
    return new AppError(
      "upstream_failed",
      `Switchboard could not ${what}: its Slack app in ${workspace} lacks the ${needed} permission (scope). Reinstall the app in that workspace from Slack Workspace Mapping to grant it, then try again.`,
    );
  }
  if (name === "restricted_action" && context.operation === "create" && isPrivate) {
    return new AppError(
      "forbidden",
      `Slack did not let Switchboard create a private channel in ${workspace}: the workspace's settings do not allow the app to create private channels (restricted_action). Ask a Slack workspace admin to allow it, or create a public channel instead.`,
    );
  }
  if (name === "restricted_action") {
    return new AppError(
      "forbidden",
      `Slack did not let Switchboard ${what} in ${workspace}: the workspace's settings restrict this action to some members (restricted_action). Ask a Slack workspace admin to allow it, or associate an existing channel instead.`,
    );
  }
  if (TOKEN_ERRORS.has(name)) {
    return new AppError(
      "upstream_failed",
      `Switchboard's Slack token for ${workspace} no longer works (${name}). Reinstall the app in that workspace from Slack Workspace Mapping, then try again.`,
    );
  }
  switch (name) {
    case "channel_not_found":
      return new AppError(
        "not_found",
        `Slack cannot find #${context.channelName ?? "the channel"} in ${workspace}: it may have been deleted, or it is private and the Switchboard app is not in it. Invite the app to the channel in Slack, then try again.`,
      );
    case "not_in_channel":
      return new AppError("conflict", `The Switchboard app is not in #${context.channelName}. Invite it to the channel in Slack (/invite @switchboard), then try again.`);
    case "is_archived":
      return new AppError("conflict", `#${context.channelName} is archived. Unarchive it in Slack or choose another channel.`);
    case "invalid_name_specials":
    case "invalid_name_punctuation":
    case "invalid_name_required":
    case "invalid_name_maxlength":
    case "invalid_name":
      return new AppError("invalid_input", `Slack rejected the channel name "${context.channelName}" (${name}). Use lowercase letters, digits, hyphens and underscores, at most 80 characters.`, {
        name: "Slack rejected this name.",
      });
    case "method_not_supported_for_channel_type":
      return new AppError("conflict", `Switchboard cannot ${what}: Slack does not allow this for that kind of channel. Invite the app to the channel in Slack instead.`);
    default:
      return new AppError("upstream_failed", `Slack returned ${name} when Switchboard tried to ${what} in ${workspace}. Try again; if it keeps failing, check the app's installation in that workspace.`);
  }
}
