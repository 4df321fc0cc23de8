import { recordAudit, type AuditActor } from "../audit/record-audit";
import { MANAGED_BY_CONFIG } from "../config-file/apply";
import { Prisma, type PrismaClient, type SlackExtension } from "../db/generated/client";
import { AppError } from "../errors";
import { scopedLogger } from "../log";
import { defaultExtensionName } from "./labels";
import { findExtensionRow } from "./list-extensions";
import { parseInput } from "./parse-input";
import { findPagerDutyService } from "./pagerduty-services";
import { createExtensionSchema, updateExtensionSchema } from "./schema";
import { BOT_NOT_IN_CHANNEL_ERRORS, botDisplayName, inviteBotReason, lookUpChannel, postIntegrationAdded, requireActiveWorkspace } from "./slack-channels";
import { togglesFor, toExtensionView, updatesOf, type ExtensionView } from "./view";

const log = scopedLogger("extensions");

export interface SaveResult {
  extension: ExtensionView;
  /** A sentence for the admin when the save worked but something needs their attention; null otherwise. */
  notice: string | null;
}

type Workspace = Awaited<ReturnType<typeof requireActiveWorkspace>>;

interface ChannelState {
  slackChannelId: string;
  slackChannelName: string;
  slackChannelIsPrivate: boolean;
  status: "working" | "needs_attention";
  statusReason: string | null;
}

/**
 * Decides a channel's name and the extension's status from what the bot can see. A channel that
 * conversations.info cannot find is taken to be private without the bot: bot tokens cannot list
 * those, so the extension waits for the bot's invitation.
 */
async function channelState(workspace: Workspace, channelId: string, channelName: string | undefined): Promise<ChannelState> {
  const channel = await lookUpChannel(workspace, channelId);
  if (channel.visible) {
    return { slackChannelId: channel.id, slackChannelName: channel.name, slackChannelIsPrivate: channel.isPrivate, status: "working", statusReason: null };
  }
  const name = channelName || channelId;
  const label = channelName ? `the private channel #${channelName}` : `the private channel ${channelId}`;
  return { slackChannelId: channelId, slackChannelName: name, slackChannelIsPrivate: true, status: "needs_attention", statusReason: inviteBotReason(await botDisplayName(workspace), label) };
}

function nameTaken(name: string, workspaceName: string): AppError {
  const message = `An extension named "${name}" already exists in ${workspaceName}: choose another name.`;
  return new AppError("conflict", message, { name: message });
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * Posts the "PagerDuty integration added" message in a working extension's channel. When the bot is
 * not in the channel, the extension is marked as needing attention with the fix.
 */
async function announce(prisma: PrismaClient, workspace: Workspace, extension: SlackExtension, serviceName: string): Promise<string | null> {
  if (extension.status !== "working") return null;
  const failure = await postIntegrationAdded(workspace, { channelId: extension.slackChannelId, serviceName, extensionName: extension.name });
  if (!failure) return null;
  if (BOT_NOT_IN_CHANNEL_ERRORS.has(failure)) {
    const reason = inviteBotReason(await botDisplayName(workspace), `#${extension.slackChannelName}`);
    await prisma.slackExtension.update({ where: { id: extension.id }, data: { status: "needs_attention", statusReason: reason } });
    return `Saved, but the bot is not in #${extension.slackChannelName}. ${reason}`;
  }
  return `Saved, but Slack did not accept the "PagerDuty integration added" message (${failure}). Incidents will still be posted when they occur.`;
}

async function reload(prisma: PrismaClient, id: string): Promise<ExtensionView> {
  return toExtensionView(await findExtensionRow(prisma, id));
}

/** Creates a Slack V2 extension, audited, and posts "PagerDuty integration added" in its channel. */
export async function createExtension(input: { prisma: PrismaClient; actor: AuditActor; input: unknown }): Promise<SaveResult> {
  const { prisma, actor } = input;
  const values = parseInput(createExtensionSchema, input.input);
  if (values.type === "slack_v1") {
    const message = "Slack V1 is a legacy extension type and cannot be created: use Slack V2.";
    throw new AppError("invalid_input", message, { type: message });
  }
  const workspace = await requireActiveWorkspace(prisma, values.workspaceId);
  const service = await findPagerDutyService(values.serviceId);
  const name = values.name ?? defaultExtensionName(service.name);
  if (await prisma.slackExtension.findUnique({ where: { workspaceId_name: { workspaceId: workspace.id, name } } })) throw nameTaken(name, workspace.name);
  const channel = await channelState(workspace, values.channelId, values.channelName);

  let created: SlackExtension;
  try {
    created = await prisma.$transaction(async (tx) => {
      const row = await tx.slackExtension.create({
        data: {
          name,
          type: "slack_v2",
          pagerdutyServiceId: service.id,
          pagerdutyServiceName: service.name,
          workspaceId: workspace.id,
          ...channel,
          ...togglesFor(values.updates),
          createdByUserId: actor.userId,
        },
      });
      await recordAudit(tx, {
        actor,
        action: "extension.create",
        targetType: "extension",
        targetId: row.id,
        details: { name, serviceId: service.id, serviceName: service.name, teamId: workspace.slackTeamId, channelId: channel.slackChannelId, updates: values.updates, status: channel.status },
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name, workspace.name);
    throw error;
  }
  log.info({ extensionId: created.id, workspaceId: workspace.id, channel: created.slackChannelId, status: created.status }, "Extension created");

  const notice = (await announce(prisma, workspace, created, service.name)) ?? (created.status === "needs_attention" ? `Saved as needing attention. ${created.statusReason}` : null);
  return { extension: await reload(prisma, created.id), notice };
}

function refuseConfigManaged(row: Pick<SlackExtension, "managedBy" | "name">, verb: string): void {
  if (row.managedBy === MANAGED_BY_CONFIG) {
    throw new AppError("managed_by_config", `The extension "${row.name}" is managed by the configuration file (SWITCHBOARD_CONFIG), so it cannot be ${verb} here: change the file instead.`);
  }
}

/**
 * Changes an extension's name, service, channel or updates; its type stays fixed. A new channel is
 * checked as on creation and greeted with "PagerDuty integration added".
 */
export async function updateExtension(input: { prisma: PrismaClient; actor: AuditActor; id: string; input: unknown }): Promise<SaveResult> {
  const { prisma, actor } = input;
  const values = parseInput(updateExtensionSchema, input.input);
  const existing = await findExtensionRow(prisma, input.id);
  refuseConfigManaged(existing, "changed");
  if (values.type && values.type !== existing.type) {
    const message = "The type of an extension is fixed: create a new extension to use another type.";
    throw new AppError("invalid_input", message, { type: message });
  }

  const workspaceChanged = values.workspaceId !== undefined && values.workspaceId !== existing.workspaceId && values.workspaceId !== existing.workspace.slackTeamId;
  const channelChanged = workspaceChanged || (values.channelId !== undefined && values.channelId !== existing.slackChannelId);
  const workspace = await requireActiveWorkspace(prisma, workspaceChanged ? values.workspaceId! : existing.workspaceId);

  const data: Prisma.SlackExtensionUncheckedUpdateInput = {};
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const change = (field: string, from: unknown, to: unknown) => {
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  };

  let serviceName = existing.pagerdutyServiceName ?? existing.pagerdutyServiceId;
  if (values.serviceId !== undefined && values.serviceId !== existing.pagerdutyServiceId) {
    const service = await findPagerDutyService(values.serviceId);
    data.pagerdutyServiceId = service.id;
    data.pagerdutyServiceName = service.name;
    serviceName = service.name;
    change("serviceId", existing.pagerdutyServiceId, service.id);
  }
  const name = values.name ?? existing.name;
  if (name !== existing.name || workspaceChanged) {
    const clash = await prisma.slackExtension.findUnique({ where: { workspaceId_name: { workspaceId: workspace.id, name } } });
    if (clash && clash.id !== existing.id) throw nameTaken(name, workspace.name);
    data.name = name;
    change("name", existing.name, name);
  }
  if (values.updates) {
    Object.assign(data, togglesFor(values.updates));
    change("updates", updatesOf(existing), values.updates);
  }
  if (channelChanged) {
    const channel = await channelState(workspace, values.channelId ?? existing.slackChannelId, values.channelName);
    Object.assign(data, channel, { workspaceId: workspace.id });
    change("teamId", existing.workspace.slackTeamId, workspace.slackTeamId);
    change("channelId", existing.slackChannelId, channel.slackChannelId);
  } else if (values.channelName && existing.status === "needs_attention" && existing.slackChannelName === existing.slackChannelId) {
    // The admin names a private channel that the bot cannot see yet.
    data.slackChannelName = values.channelName;
    change("channelName", existing.slackChannelName, values.channelName);
  }

  if (Object.keys(changes).length === 0) return { extension: toExtensionView(existing), notice: null };

  let updated: SlackExtension;
  try {
    updated = await prisma.$transaction(async (tx) => {
      const row = await tx.slackExtension.update({ where: { id: existing.id }, data });
      await recordAudit(tx, { actor, action: "extension.update", targetType: "extension", targetId: row.id, details: { name: row.name, changes } as Prisma.InputJsonValue });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name, workspace.name);
    throw error;
  }
  log.info({ extensionId: updated.id, fields: Object.keys(changes) }, "Extension updated");

  let notice: string | null = null;
  if (channelChanged) notice = (await announce(prisma, workspace, updated, serviceName)) ?? (updated.status === "needs_attention" ? `Saved as needing attention. ${updated.statusReason}` : null);
  return { extension: await reload(prisma, updated.id), notice };
}

/** Deletes an extension, audited. Incident messages it posted stay in Slack and keep their history here. */
export async function deleteExtension(input: { prisma: PrismaClient; actor: AuditActor; id: string }): Promise<ExtensionView> {
  const { prisma, actor } = input;
  const existing = await findExtensionRow(prisma, input.id);
  refuseConfigManaged(existing, "deleted");
  await prisma.$transaction(async (tx) => {
    await tx.slackExtension.delete({ where: { id: existing.id } });
    await recordAudit(tx, {
      actor,
      action: "extension.delete",
      targetType: "extension",
      targetId: existing.id,
      details: { name: existing.name, serviceId: existing.pagerdutyServiceId, teamId: existing.workspace.slackTeamId, channelId: existing.slackChannelId },
    });
  });
  log.info({ extensionId: existing.id }, "Extension deleted");
  return toExtensionView(existing);
}
