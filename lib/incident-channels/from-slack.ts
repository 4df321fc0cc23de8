import { findActor, ensureMayActOnService } from "../slack/actions/actor";
import { replyToUser, type SlackUserContext } from "../slack/actions/context";
import { switchboardIncidentUrl } from "../slack/actions/view-details";
import { escapeMrkdwn } from "../slack/mrkdwn";
import { AppError } from "../errors";
import { buildChannelName, DEFAULT_NAME_TEMPLATE } from "./channel-name";
import { createIncidentChannel } from "./create-channel";
import { findChannelRule } from "./rules";

/**
 * Creates the incident's channel for More actions… → Create incident channel, in the workspace the
 * message is in. The rules are those of the Set Channel dialog. The user's PagerDuty role must allow
 * acting on the incident, the name comes from the extension's template, and the user and the
 * incident's linked assignees are invited. The result, or the reason nothing was created, is shown
 * to the user alone.
 */
export async function createChannelFromSlack(context: SlackUserContext, input: { incidentId: string }): Promise<void> {
  const { prisma, workspace, log } = context;
  const actor = await findActor(context, { pendingAction: null, purpose: "create incident channels" });
  if (!actor) return;

  const incident = await prisma.incident.findUnique({ where: { pagerdutyIncidentId: input.incidentId }, include: { channel: true } });
  if (!incident) {
    await replyToUser(context, "Switchboard has no record of this incident yet, so it cannot create its channel. Try again in a moment.");
    return;
  }
  const allowed = await ensureMayActOnService(context, actor, { serviceId: incident.pagerdutyServiceId, refusalPrefix: "You can't create a channel for this incident." });
  if (!allowed) return;

  const pageLink = `<${switchboardIncidentUrl(incident.pagerdutyIncidentId)}|the incident's page in Switchboard>`;
  if (incident.channel && incident.channel.status === "active") {
    await replyToUser(context, `This incident already has a channel: <#${incident.channel.slackChannelId}>. To change it, use ${pageLink}.`);
    return;
  }

  const found = await findChannelRule(prisma, { pagerdutyServiceId: incident.pagerdutyServiceId, workspaceId: workspace.id });
  const name = buildChannelName(found?.rule.nameTemplate ?? DEFAULT_NAME_TEMPLATE, {
    number: incident.number,
    title: incident.title,
    serviceName: incident.serviceName,
    createdAt: incident.createdAt,
  });
  try {
    const result = await createIncidentChannel({
      prisma,
      incidentId: incident.id,
      workspaceId: workspace.id,
      name,
      isPrivate: found?.rule.autoCreatePrivate ?? false,
      actor: { userId: null, label: `${actor.profile.email} (Slack)`, slackUserId: context.slackUserId },
      log,
    });
    const lines = [`Created <#${result.channel.slackChannelId}> for incident #${incident.number}. The incident message is posted there and kept up to date.`];
    if (result.invited.length > 0) lines.push(`Invited: ${result.invited.map((invitee) => escapeMrkdwn(invitee)).join(", ")}.`);
    for (const warning of result.warnings) lines.push(escapeMrkdwn(warning));
    await replyToUser(context, lines.join("\n"));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    log.info({ incidentId: incident.pagerdutyIncidentId, code: error.code }, "Incident channel not created from Slack");
    await replyToUser(context, `Switchboard could not create the incident channel. ${escapeMrkdwn(error.message)}`);
  }
}
