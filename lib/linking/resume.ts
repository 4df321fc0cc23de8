import type { Logger } from "pino";
import type { PrismaClient } from "../db/generated/client";
import { LINK_ACTION_IDS } from "../slack/actions/actor";
import { replyToUser, type SlackUserContext } from "../slack/actions/context";
import { continueButtonValue } from "../slack/actions/continue-after-link";
import { changeIncidentStatus } from "../slack/actions/incident-status";
import { escapeMrkdwn } from "../slack/mrkdwn";
import { describePendingAction, parsePendingAction } from "./pending-action";

/**
 * Carries out what a Slack user tried before linking, once they linked. A status change runs as
 * their PagerDuty user at once. A modal action gets a "Continue" button instead, because a modal
 * needs a trigger_id from a fresh click. Runs as a job queued by the link page.
 */
export async function resumeLinkedAction(input: { prisma: PrismaClient; linkRequestId: string; log: Logger }): Promise<"resumed" | "skipped"> {
  const { prisma, log } = input;
  const request = await prisma.slackLinkRequest.findUnique({ where: { id: input.linkRequestId } });
  const action = parsePendingAction(request?.pendingAction);
  if (!request || !action) return "skipped";
  const workspace = await prisma.slackWorkspace.findUnique({ where: { slackTeamId: request.slackTeamId } });
  if (!workspace) {
    log.warn({ linkRequestId: request.id, slackTeamId: request.slackTeamId }, "Pending action of a workspace that is no longer mapped");
    return "skipped";
  }

  const context: SlackUserContext = {
    prisma,
    workspace,
    slackUserId: request.slackUserId,
    channelId: request.slackChannelId ?? undefined,
    responseUrl: request.responseUrl ?? undefined,
    log: log.child({ slackUserId: request.slackUserId, linkRequestId: request.id }),
  };
  if (action.kind === "incident_status") {
    await changeIncidentStatus(context, { incidentId: action.incidentId, status: action.status });
    return "resumed";
  }

  const text = `Your Slack account is now linked to PagerDuty. Press Continue to ${describePendingAction(action)}.`;
  await replyToUser(context, {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(text) } },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: LINK_ACTION_IDS.continueAfterLink,
            text: { type: "plain_text", text: "Continue", emoji: true },
            value: continueButtonValue(action),
            style: "primary",
          },
        ],
      },
    ],
  });
  return "resumed";
}
