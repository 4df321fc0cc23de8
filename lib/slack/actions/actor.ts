import type { LinkedUser } from "../../db/generated/client";
import { createLinkRequest } from "../../linking/link-requests";
import { describePendingAction, type PendingAction } from "../../linking/pending-action";
import type { PagerDutyClient } from "../../pagerduty/client";
import { getPagerDutyClient } from "../../pagerduty/connection";
import { checkIncidentPermission } from "../../pagerduty/permissions";
import { getPagerDutyUserProfile, type PagerDutyUserProfile } from "../../pagerduty/users";
import { escapeMrkdwn } from "../mrkdwn";
import { replyToUser, type SlackUserContext } from "./context";

export const LINK_ACTION_IDS = {
  /** The URL button of the "Connect your PagerDuty account" message; Slack opens the link itself. */
  openLinkPage: "link_account_open",
  /** The button that carries on with a modal action after linking, with a fresh trigger_id. */
  continueAfterLink: "link_continue",
} as const;

/** The Slack user as a PagerDuty user: their link, role and teams, and the API client to act with. */
export interface Actor {
  link: LinkedUser;
  profile: PagerDutyUserProfile;
  client: PagerDutyClient;
}

export const NOT_CONNECTED_TO_PAGERDUTY = "Switchboard is not connected to PagerDuty yet: a Switchboard admin needs to set its PagerDuty API token. Nothing was sent to PagerDuty.";

/** A linked Slack user and the client to act with, before their PagerDuty role is loaded. */
export interface LinkedSlackUser {
  link: LinkedUser;
  client: PagerDutyClient;
}

/**
 * Finds the Slack user's link, from the database only, so it is quick enough to run before a modal
 * opens. For an unlinked user it returns null and sends the "Connect your PagerDuty account" message,
 * whose link request carries `pendingAction` out once they link.
 */
export async function findLinkedUser(context: SlackUserContext, input: { pendingAction: PendingAction | null; purpose: string }): Promise<LinkedSlackUser | null> {
  const { prisma, workspace } = context;
  const link = await prisma.linkedUser.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId: workspace.slackTeamId, slackUserId: context.slackUserId } } });
  if (!link) {
    await sendConnectMessage(context, input);
    return null;
  }
  const client = await getPagerDutyClient();
  if (!client) {
    await replyToUser(context, NOT_CONNECTED_TO_PAGERDUTY);
    return null;
  }
  return { link, client };
}

/** Loads the linked user's PagerDuty role and teams (cached; PagerDuty is asked when the cache is stale). */
export async function loadActor(context: SlackUserContext, linked: LinkedSlackUser): Promise<Actor> {
  const profile = await getPagerDutyUserProfile({ prisma: context.prisma, client: linked.client, pagerdutyUserId: linked.link.pagerdutyUserId });
  return { ...linked, profile };
}

/** Finds the PagerDuty user the Slack user acts as, with their role: findLinkedUser, then loadActor. */
export async function findActor(context: SlackUserContext, input: { pendingAction: PendingAction | null; purpose: string }): Promise<Actor | null> {
  const linked = await findLinkedUser(context, input);
  return linked ? loadActor(context, linked) : null;
}

async function sendConnectMessage(context: SlackUserContext, input: { pendingAction: PendingAction | null; purpose: string }): Promise<void> {
  const request = await createLinkRequest({
    prisma: context.prisma,
    slackTeamId: context.workspace.slackTeamId,
    slackUserId: context.slackUserId,
    pendingAction: input.pendingAction,
    slackChannelId: context.channelId,
    responseUrl: context.responseUrl,
  });
  const after = input.pendingAction
    ? input.pendingAction.kind === "incident_status"
      ? ` Once you connect, Switchboard will ${describePendingAction(input.pendingAction)} for you.`
      : " Once you connect, a Continue button here takes you back to what you started."
    : "";
  const text = `Connect your PagerDuty account to ${input.purpose} from Slack. Switchboard acts in PagerDuty as you, so it needs to know which PagerDuty user you are. Nothing was sent to PagerDuty.`;
  await replyToUser(context, {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*Connect your PagerDuty account*\n${escapeMrkdwn(text)}` } },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: LINK_ACTION_IDS.openLinkPage,
            text: { type: "plain_text", text: "Connect your PagerDuty account", emoji: true },
            url: request.url,
            style: "primary",
          },
        ],
      },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: escapeMrkdwn(`You sign in with Slack, and Switchboard links the PagerDuty user with your Slack email. The link works for 30 minutes.${after}`) }],
      },
    ],
  });
}

/**
 * Checks the actor's PagerDuty role against a service, as PagerDuty would: read-only roles never
 * act, and team-scoped roles act only on services of their own teams. Returns the refusal to show
 * (starting with `refusalPrefix`), or null when the action may go ahead.
 */
export async function refusalForService(context: SlackUserContext, actor: Actor, input: { serviceId: string | null; refusalPrefix: string }): Promise<string | null> {
  const { profile } = actor;
  const teamScoped = profile.role === "limited_user" || profile.role === "restricted_access";
  // Without a service (a trigger form not yet filled in), only the role itself is checked.
  if (teamScoped && input.serviceId === null) return null;
  const serviceTeamIds = teamScoped && input.serviceId ? ((await actor.client.getService(input.serviceId)).service.teams ?? []).map((team) => team.id) : [];
  const permission = checkIncidentPermission({ role: profile.role, userTeamIds: profile.teamIds, serviceTeamIds });
  if (permission.allowed) return null;
  context.log.info(
    { slackUserId: context.slackUserId, pagerdutyUserId: profile.pagerdutyUserId, reason: permission.reason, serviceId: input.serviceId },
    "Slack user's action rejected: the PagerDuty role may not act",
  );
  return `${input.refusalPrefix} ${permission.message} Nothing was sent to PagerDuty.`;
}

/** Like refusalForService, and sends the refusal to the user in an ephemeral message. */
export async function ensureMayActOnService(context: SlackUserContext, actor: Actor, input: { serviceId: string | null; refusalPrefix: string }): Promise<boolean> {
  const refusal = await refusalForService(context, actor, input);
  if (refusal) await replyToUser(context, refusal);
  return refusal === null;
}
