import { resendHeldMessages } from "../../workspaces/resend-held-messages";
import type { SlackEventHandler } from "./context";
import { memberJoinedChannelEventSchema } from "./envelope";

// member_joined_channel: when the member is the workspace's bot, extensions on that channel that were
// waiting for it ("invite the bot to the channel") start working, and what they held is sent.
export const handleMemberJoinedChannel: SlackEventHandler = async (context) => {
  const { tx, workspace, log } = context;
  const parsed = memberJoinedChannelEventSchema.safeParse(context.envelope.event);
  if (!parsed.success) return { status: "ignored", note: "event.user or event.channel is missing" };
  const { user, channel } = parsed.data;
  if (user !== workspace.slackBotUserId) return { status: "ignored", note: `${user} is not the bot ${workspace.slackBotUserId}` };

  const extensions = await tx.slackExtension.findMany({
    where: { workspaceId: workspace.id, slackChannelId: channel, status: "needs_attention" },
    select: { id: true },
  });
  if (extensions.length === 0) return { status: "processed", note: null };

  const extensionIds = extensions.map((extension) => extension.id);
  await tx.slackExtension.updateMany({ where: { id: { in: extensionIds } }, data: { status: "working", statusReason: null } });
  const resent = await resendHeldMessages(tx, { extensionIds });
  log.info({ workspaceId: workspace.id, channel, extensionIds, resent }, "The bot joined a channel; its extensions work again");
  return { status: "processed", note: null };
};
