import { tokenRevokedReason } from "../../workspaces/workspace-state";
import type { SlackEventHandler } from "./context";
import { deactivateWorkspace } from "./deactivate-workspace";
import { tokensRevokedEventSchema } from "./envelope";

// tokens_revoked: lists the user ids whose tokens were revoked. Only the bot's token matters here;
// user tokens (Sign in with Slack) do not deliver anything.
export const handleTokensRevoked: SlackEventHandler = async (context) => {
  const parsed = tokensRevokedEventSchema.safeParse(context.envelope.event);
  if (!parsed.success) return { status: "ignored", note: "event.tokens is missing or malformed" };
  const botUserIds = parsed.data.tokens.bot ?? [];
  if (!botUserIds.includes(context.workspace.slackBotUserId)) {
    return { status: "ignored", note: `No token of the bot ${context.workspace.slackBotUserId} was revoked` };
  }
  // app_uninstalled usually follows with a reason that explains more, so an inactive workspace keeps its reason.
  return deactivateWorkspace(context, { reason: tokenRevokedReason(context.occurredAt), replaceReason: false });
};
