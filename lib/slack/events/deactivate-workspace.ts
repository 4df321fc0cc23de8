import { recordAudit } from "../../audit/record-audit";
import { formatUtc } from "../../workspaces/workspace-state";
import { SLACK_EVENT_ACTOR, type SlackEventContext, type SlackEventResult } from "./context";

/**
 * Marks the event's workspace inactive with a reason, so its deliveries wait
 * (lib/slack/deliver.ts) until the app is installed again. An event older than the workspace's
 * latest install describes an installation that no longer exists, so it is ignored.
 * NOTE: Slack's clock and this server's are compared here; a skew of seconds could misjudge an
 * uninstall that follows a reinstall within that time.
 */
export async function deactivateWorkspace(context: SlackEventContext, input: { reason: string; replaceReason: boolean }): Promise<SlackEventResult> {
  const { tx, workspace, envelope, occurredAt, log } = context;
  if (occurredAt.getTime() < workspace.installedAt.getTime()) {
    log.info({ workspaceId: workspace.id, eventId: envelope.event_id }, "Ignoring an event older than the workspace's latest install");
    return { status: "ignored", note: `The event happened at ${formatUtc(occurredAt)}, before the latest install at ${formatUtc(workspace.installedAt)}` };
  }
  if (workspace.status === "inactive" && !input.replaceReason) {
    return { status: "processed", note: null };
  }

  await tx.slackWorkspace.update({
    where: { id: workspace.id },
    data: {
      status: "inactive",
      statusReason: input.reason,
      deactivatedAt: workspace.status === "inactive" && workspace.deactivatedAt ? workspace.deactivatedAt : occurredAt,
    },
  });
  await recordAudit(tx, {
    actor: SLACK_EVENT_ACTOR,
    action: "workspace.deactivate",
    targetType: "workspace",
    targetId: workspace.id,
    details: { teamId: workspace.slackTeamId, name: workspace.name, event: envelope.event.type, eventId: envelope.event_id, reason: input.reason },
  });
  log.warn({ workspaceId: workspace.id, teamId: workspace.slackTeamId, event: envelope.event.type }, "Slack workspace deactivated; its deliveries are held");
  return { status: "processed", note: null };
}
