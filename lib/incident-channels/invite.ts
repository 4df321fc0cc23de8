import type { WebClient } from "@slack/web-api";
import { slackErrorName } from "../slack/client";

/** conversations.invite takes at most 100 user ids per call (more returns too_many_users). */
export const INVITE_BATCH_SIZE = 100;

export interface InviteResult {
  /** Users now in the channel, including those who already were. */
  invited: string[];
  /** Users Slack did not add, with Slack's error for each (for example user_not_found). */
  failed: { userId: string; error: string }[];
}

interface PerUserError {
  user?: string;
  error?: string;
}

/**
 * Invites users to a channel in batches of at most 100, with `force` so that one user Slack
 * rejects does not stop the others in the batch. Per-user errors are returned; an error about the
 * channel itself (not_in_channel, is_archived, missing_scope, …) is thrown.
 */
export async function inviteToChannel(client: WebClient, input: { channelId: string; userIds: string[]; botUserId: string }): Promise<InviteResult> {
  const userIds = [...new Set(input.userIds.filter((id) => id && id !== input.botUserId))];
  const result: InviteResult = { invited: [], failed: [] };

  for (let start = 0; start < userIds.length; start += INVITE_BATCH_SIZE) {
    const batch = userIds.slice(start, start + INVITE_BATCH_SIZE);
    let errors: PerUserError[] = [];
    try {
      const response = await client.conversations.invite({ channel: input.channelId, users: batch.join(","), force: true });
      errors = ((response as { errors?: PerUserError[] }).errors ?? []).filter((entry) => entry.user);
    } catch (error) {
      // NOTE: Slack documents `force` without saying whether a batch with some rejected users
      // returns ok:true or ok:false, so both are read: per-user errors in `errors` are not fatal.
      const perUser = (error as { data?: { errors?: PerUserError[] } }).data?.errors;
      if (!slackErrorName(error) || !Array.isArray(perUser) || perUser.length === 0) throw error;
      errors = perUser;
    }

    const failedHere = new Map<string, string>();
    for (const entry of errors) {
      if (entry.user && entry.error && entry.error !== "already_in_channel") failedHere.set(entry.user, entry.error);
    }
    for (const userId of batch) {
      const error = failedHere.get(userId);
      if (error) result.failed.push({ userId, error });
      else result.invited.push(userId);
    }
  }
  return result;
}
