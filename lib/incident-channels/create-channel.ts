import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Incident, IncidentChannel, PrismaClient, SlackWorkspace } from "../db/generated/client";
import { AppError } from "../errors";
import { slackClientFor, slackErrorName } from "../slack/client";
import { toSlackChannelName, withNumericSuffix } from "./channel-name";
import { inviteToChannel } from "./invite";
import { linkedAssignees, type Invitee } from "./invitees";
import { listSlackChannels, type SlackChannelSummary } from "./list-channels";
import { recordIncidentChannel, type ChannelActor } from "./record-channel";
import { channelErrorFromSlack } from "./slack-errors";
import { loadIncidentAndWorkspace } from "./load";

/** How long one creation locks the incident's attempt row before another may take it over. */
const ATTEMPT_LOCK_SECONDS = 60;

/** Suffixes tried after the plain name: "-2" to "-100". */
const MAX_SUFFIX = 100;

/**
 * A channel the bot created at most this long before an attempt started still counts as that
 * attempt's, which allows for clock skew between Slack and this server.
 */
const CLOCK_SKEW_SECONDS = 120;

/** Another creation for the same incident has locked its attempt row. */
export class ChannelAttemptInProgressError extends AppError {
  constructor() {
    super("conflict", "A channel is being created for this incident right now. Wait a minute, reload, and try again if no channel appears.");
  }
}

export interface SetChannelResult {
  channel: IncidentChannel;
  /** People invited to a created channel, by name. */
  invited: string[];
  /** Plain-word problems that did not stop the channel from being set, for example a failed invite. */
  warnings: string[];
  /** True when a channel that an earlier, interrupted attempt created was found and recorded. */
  recovered: boolean;
}

export interface CreateChannelInput {
  prisma: PrismaClient;
  /** Switchboard's incident id. */
  incidentId: string;
  workspaceId: string;
  /** The requested name; it is made valid for Slack here, so the dialog's preview is what is created. */
  name: string;
  isPrivate: boolean;
  actor: ChannelActor;
  /** The extension whose rule creates the channel; null when a person requests it. */
  extensionId?: string | null;
  log: Logger;
}

/**
 * Creates a Slack channel for an incident, records it as the incident's channel (replacing any
 * earlier one) with the incident message queued for it, and invites the acting user and the
 * incident's linked assignees. A taken name, by an active or an archived channel, gets a numeric
 * suffix. The attempt is written down before Slack is called, so a channel that Slack created but
 * Switchboard did not record (the process stopped in between) is found and recorded on retry.
 */
export async function createIncidentChannel(input: CreateChannelInput): Promise<SetChannelResult> {
  const { prisma, log } = input;
  const { incident, workspace } = await loadIncidentAndWorkspace(prisma, input);
  const name = toSlackChannelName(input.name, `inc-${incident.number}`);
  const attemptStartedAt = await claimAttempt(prisma, { incidentId: incident.id, workspaceId: workspace.id, name, isPrivate: input.isPrivate });
  const client = slackClientFor(workspace);

  let created: { id: string; name: string; recovered: boolean };
  try {
    created = await createWithFreeName(prisma, client, { incident, workspace, name, isPrivate: input.isPrivate, attemptStartedAt });
  } catch (error) {
    const refusal = error instanceof AppError ? error : channelErrorFromSlack(error, { operation: "create", workspaceName: workspace.name, isPrivate: input.isPrivate, channelName: name });
    if (refusal) {
      // Slack refused every call, so no channel exists and there is nothing to find on retry.
      await prisma.incidentChannelAttempt.deleteMany({ where: { incidentId: incident.id } });
      log.info({ incidentId: incident.pagerdutyIncidentId, workspaceId: workspace.id, error: slackErrorName(error) ?? refusal.code }, "Incident channel not created");
      throw refusal;
    }
    // Slack may or may not have created the channel: keep the attempt so a retry can find it.
    await releaseAttempt(prisma, incident.id);
    throw error;
  }

  let channel: IncidentChannel;
  try {
    channel = await prisma.$transaction((tx) =>
      recordIncidentChannel(tx, {
        incidentId: incident.id,
        pagerdutyIncidentId: incident.pagerdutyIncidentId,
        workspaceId: workspace.id,
        slackChannelId: created.id,
        slackChannelName: created.name,
        isPrivate: input.isPrivate,
        createdBySwitchboard: true,
        extensionId: input.extensionId ?? null,
        actor: input.actor,
        details: created.recovered ? { recoveredAfterInterruptedAttempt: true } : undefined,
      }),
    );
  } catch (error) {
    log.error({ err: error, incidentId: incident.pagerdutyIncidentId, slackChannelId: created.id }, "Channel created in Slack but not recorded; a retry will find it");
    await releaseAttempt(prisma, incident.id).catch(() => undefined);
    throw error;
  }
  log.info({ incidentId: incident.pagerdutyIncidentId, slackChannelId: created.id, recovered: created.recovered }, "Incident channel created");

  const invitees = await linkedAssignees(prisma, { incident, workspace });
  if (input.actor.slackUserId) invitees.unshift({ slackUserId: input.actor.slackUserId, label: "you" });
  const { invited, warnings } = await inviteInvitees(client, { channel, workspace, invitees, log });
  return { channel, invited, warnings, recovered: created.recovered };
}

/**
 * Writes the attempt row, or takes over one whose lock has passed, and returns when the attempt
 * started: an interrupted attempt in the same workspace keeps its start, so its channel is still
 * recognised. Throws while another creation for the incident holds the lock.
 */
async function claimAttempt(prisma: PrismaClient, input: { incidentId: string; workspaceId: string; name: string; isPrivate: boolean }): Promise<Date> {
  const rows = await prisma.$queryRawUnsafe<{ created_at: Date }[]>(
    `INSERT INTO incident_channel_attempt AS a (incident_id, workspace_id, slack_channel_name, is_private, locked_until, created_at, updated_at)
     VALUES ($1::uuid, $2::uuid, $3, $4, now() + make_interval(secs => $5), now(), now())
     ON CONFLICT (incident_id) DO UPDATE SET
       created_at = CASE WHEN a.workspace_id = EXCLUDED.workspace_id THEN a.created_at ELSE now() END,
       workspace_id = EXCLUDED.workspace_id,
       slack_channel_name = EXCLUDED.slack_channel_name,
       is_private = EXCLUDED.is_private,
       locked_until = EXCLUDED.locked_until,
       updated_at = now()
     WHERE a.locked_until < now()
     RETURNING a.created_at`,
    input.incidentId,
    input.workspaceId,
    input.name,
    input.isPrivate,
    ATTEMPT_LOCK_SECONDS,
  );
  const row = rows[0];
  if (!row) throw new ChannelAttemptInProgressError();
  return row.created_at;
}

async function releaseAttempt(prisma: PrismaClient, incidentId: string): Promise<void> {
  await prisma.incidentChannelAttempt.updateMany({ where: { incidentId }, data: { lockedUntil: new Date() } });
}

/**
 * Calls conversations.create with the name, then with "-2", "-3", … while Slack returns name_taken.
 * After the first name_taken the workspace's channels (archived ones too) are listed once: names
 * seen there are skipped without a call, and a channel the bot created for this attempt but never
 * recorded is taken as the result.
 */
async function createWithFreeName(
  prisma: PrismaClient,
  client: WebClient,
  input: { incident: Incident; workspace: SlackWorkspace; name: string; isPrivate: boolean; attemptStartedAt: Date },
): Promise<{ id: string; name: string; recovered: boolean }> {
  let listing: SlackChannelSummary[] | null = null;
  let recordedIds: Set<string> | null = null;

  for (let suffix = 1; suffix <= MAX_SUFFIX; suffix++) {
    const candidate = suffix === 1 ? input.name : withNumericSuffix(input.name, suffix);
    if (listing) {
      const orphan = findOrphan(listing, recordedIds!, { ...input, candidate });
      if (orphan) return { id: orphan.id, name: orphan.name, recovered: true };
      if (listing.some((channel) => channel.name === candidate)) continue;
    }

    await prisma.incidentChannelAttempt.update({ where: { incidentId: input.incident.id }, data: { slackChannelName: candidate } });
    try {
      const response = await client.conversations.create({ name: candidate, is_private: input.isPrivate });
      const channel = response.channel;
      if (!channel?.id) throw new Error("conversations.create returned no channel id");
      return { id: channel.id, name: channel.name ?? candidate, recovered: false };
    } catch (error) {
      if (slackErrorName(error) !== "name_taken") throw error;
    }

    if (!listing) {
      listing = await listSlackChannels(client, { includeArchived: true });
      recordedIds = await recordedChannelIds(prisma, input.workspace.id);
      const orphan = findOrphan(listing, recordedIds, { ...input, candidate });
      if (orphan) return { id: orphan.id, name: orphan.name, recovered: true };
    }
  }
  throw new AppError("conflict", `The channel names ${input.name} and ${input.name}-2 to -${MAX_SUFFIX} are all taken in ${input.workspace.name}. Choose another name.`, {
    name: "All these names are taken.",
  });
}

/**
 * Finds the result of an interrupted attempt: a channel named `candidate` that the bot created
 * since the attempt started, neither archived nor recorded for any incident or extension.
 */
function findOrphan(
  listing: SlackChannelSummary[],
  recordedIds: Set<string>,
  input: { candidate: string; workspace: SlackWorkspace; isPrivate: boolean; attemptStartedAt: Date },
): SlackChannelSummary | undefined {
  const since = Math.floor(input.attemptStartedAt.getTime() / 1000) - CLOCK_SKEW_SECONDS;
  return listing.find(
    (channel) =>
      channel.name === input.candidate &&
      channel.creator === input.workspace.slackBotUserId &&
      !channel.isArchived &&
      channel.isPrivate === input.isPrivate &&
      (channel.created ?? 0) >= since &&
      !recordedIds.has(channel.id),
  );
}

async function recordedChannelIds(prisma: PrismaClient, workspaceId: string): Promise<Set<string>> {
  const [channels, extensions] = await Promise.all([
    prisma.incidentChannel.findMany({ where: { workspaceId }, select: { slackChannelId: true } }),
    prisma.slackExtension.findMany({ where: { workspaceId }, select: { slackChannelId: true } }),
  ]);
  return new Set([...channels, ...extensions].map((row) => row.slackChannelId));
}

/** Invites people to a new channel; failures become warnings, because the channel is set either way. */
async function inviteInvitees(
  client: WebClient,
  input: { channel: IncidentChannel; workspace: SlackWorkspace; invitees: Invitee[]; log: Logger },
): Promise<{ invited: string[]; warnings: string[] }> {
  const { channel, workspace, invitees, log } = input;
  if (invitees.length === 0) return { invited: [], warnings: [] };
  const labels = new Map(invitees.map((invitee) => [invitee.slackUserId, invitee.label]));
  try {
    const result = await inviteToChannel(client, { channelId: channel.slackChannelId, userIds: invitees.map((invitee) => invitee.slackUserId), botUserId: workspace.slackBotUserId });
    const warnings = result.failed.map(({ userId, error }) => `Slack did not add ${labels.get(userId) ?? userId} to #${channel.slackChannelName} (${error}).`);
    if (result.failed.length > 0) log.warn({ slackChannelId: channel.slackChannelId, failed: result.failed }, "Some invites to the incident channel failed");
    return { invited: result.invited.map((userId) => labels.get(userId) ?? userId), warnings };
  } catch (error) {
    const refusal = channelErrorFromSlack(error, { operation: "invite", workspaceName: workspace.name, isPrivate: channel.isPrivate, channelName: channel.slackChannelName });
    log.warn({ err: error, slackChannelId: channel.slackChannelId }, "Invites to the incident channel failed");
    const reason = refusal?.message ?? "Slack did not respond.";
    return { invited: [], warnings: [`The channel is set, but Switchboard could not invite anyone to it: ${reason} Invite people in Slack.`] };
  }
}
