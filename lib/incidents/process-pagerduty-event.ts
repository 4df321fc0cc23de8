import type { Logger } from "pino";
import type { PrismaClient, Prisma } from "../db/generated/client";
import {
  incidentDataSchema,
  incidentNoteDataSchema,
  isHandledEventType,
  webhookEnvelopeSchema,
  type IncidentData,
  type WebhookEnvelope,
} from "../pagerduty/webhook-event";
import { applyChannelRules } from "../incident-channels/incident-events";
import { channelQueue, enqueueJob, TASKS } from "../queue/jobs";
import { applyIncidentAction, applyIncidentState, type AppliedChange, type IncidentAction, type IncidentState } from "./apply-change";
import { announcementText, isAnnounced } from "./announcements";

type Tx = Prisma.TransactionClient;

interface InboundRow {
  id: bigint;
  status: string;
  raw_body: string;
  attempts: number;
}

export type ProcessOutcome = "processed" | "ignored" | "already_done" | "failed";

/**
 * Applies one stored PagerDuty webhook event: updates the incident, creates the Slack messages of a
 * new incident, and queues their edits and thread replies. Runs in one transaction with the inbox
 * row locked, so an event takes effect exactly once even when its job runs twice.
 */
export async function processPagerDutyEvent(input: { prisma: PrismaClient; inboundEventId: string; log: Logger }): Promise<ProcessOutcome> {
  const { prisma, log } = input;
  return prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRawUnsafe<InboundRow[]>(
        `SELECT id, status::text AS status, raw_body, attempts FROM inbound_event WHERE id = $1::bigint FOR UPDATE`,
        input.inboundEventId,
      );
      const row = rows[0];
      if (!row || row.status !== "pending") return "already_done";

      const parsed = webhookEnvelopeSchema.safeParse(JSON.parse(row.raw_body));
      if (!parsed.success) return finish(tx, row.id, "failed", `Stored body is not a webhook envelope: ${parsed.error.message}`);
      const envelope = parsed.data;
      if (!isHandledEventType(envelope.event.event_type)) return finish(tx, row.id, "ignored", null);

      const problem = await handleIncidentEvent(tx, envelope, log);
      return finish(tx, row.id, problem ? "failed" : "processed", problem);
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

async function finish(tx: Tx, id: bigint, status: "processed" | "ignored" | "failed", error: string | null): Promise<ProcessOutcome> {
  await tx.$executeRawUnsafe(
    `UPDATE inbound_event SET status = $2::"InboundStatus", processed_at = now(), attempts = attempts + 1, last_error = $3 WHERE id = $1`,
    id,
    status,
    error,
  );
  return status;
}

/** Returns a reason when the event cannot be applied; null when it was. */
async function handleIncidentEvent(tx: Tx, envelope: WebhookEnvelope, log: Logger): Promise<string | null> {
  const event = envelope.event;
  const occurredAt = parseOccurredAt(event.occurred_at);
  if (!occurredAt) return `event.occurred_at is missing or not a date: ${JSON.stringify(event.occurred_at ?? null)}`;

  const agent = event.agent && event.agent.type?.includes("user") ? event.agent : null;
  const action: IncidentAction = {
    action: event.event_type.replace(/^incident\./, ""),
    byName: agent?.summary ?? null,
    byPagerdutyUserId: agent?.id ?? null,
  };

  let change: AppliedChange | null;
  let noteContent: string | undefined;
  if (event.event_type === "incident.annotated") {
    const note = incidentNoteDataSchema.safeParse(event.data);
    if (!note.success) return `event.data is not an incident_note: ${note.error.issues.map((issue) => issue.path.join(".") + " " + issue.message).join("; ")}`;
    noteContent = note.data.content;
    change = await applyIncidentAction(tx, { pagerdutyIncidentId: note.data.incident.id, occurredAt, action });
    if (!change) {
      log.info({ eventId: event.id, incidentId: note.data.incident.id }, "Note on an incident Switchboard has not seen; nothing to update");
      return null;
    }
  } else {
    const data = incidentDataSchema.safeParse(event.data);
    if (!data.success) return `event.data is not an incident: ${data.error.issues.map((issue) => issue.path.join(".") + " " + issue.message).join("; ")}`;
    change = await applyIncidentState(tx, { state: stateFromWebhook(data.data), occurredAt, action });
  }

  if (event.event_type === "incident.triggered") {
    await createMessagesForNewIncident(tx, change);
  }
  await applyChannelRules(tx, { change, eventType: event.event_type, occurredAt });

  const messages = await tx.incidentMessage.findMany({ where: { incidentId: change.incidentId }, include: { extension: true } });
  const changed = change.stateApplied || change.actionApplied;
  for (const message of messages) {
    if (changed || !message.slackMessageTs) {
      await enqueueJob(tx, TASKS.syncIncidentMessage, { incidentMessageId: message.id }, {
        queueName: channelQueue(message.slackChannelId),
        jobKey: `sync:${message.id}`,
      });
    }
    // A stale event (older than the state shown) is not announced: the thread would contradict the card.
    const fresh = event.event_type === "incident.annotated" || change.stateApplied;
    if (!fresh || !isAnnounced(event.event_type, message.extension)) continue;
    const reply = await tx.threadReply.upsert({
      where: { incidentMessageId_sourceEventId: { incidentMessageId: message.id, sourceEventId: event.id } },
      create: {
        incidentMessageId: message.id,
        sourceEventId: event.id,
        text: announcementText({ eventType: event.event_type, agentName: action.byName, incident: change.snapshot, noteContent }),
      },
      update: {},
    });
    if (reply.status === "pending") {
      await enqueueJob(tx, TASKS.postThreadReply, { threadReplyId: reply.id }, {
        queueName: channelQueue(message.slackChannelId),
        jobKey: `reply:${reply.id}`,
      });
    }
  }
  return null;
}

/** Creates one pending message per extension of the incident's service that is not disabled. */
async function createMessagesForNewIncident(tx: Tx, change: AppliedChange): Promise<void> {
  const extensions = await tx.slackExtension.findMany({
    where: { pagerdutyServiceId: change.snapshot.pagerdutyServiceId, status: { not: "disabled" } },
    orderBy: { createdAt: "asc" },
  });
  if (extensions.length === 0) return;
  await tx.incidentMessage.createMany({
    data: extensions.map((extension) => ({
      incidentId: change.incidentId,
      workspaceId: extension.workspaceId,
      extensionId: extension.id,
      slackChannelId: extension.slackChannelId,
    })),
    skipDuplicates: true,
  });
}

export function stateFromWebhook(data: IncidentData): IncidentState {
  return {
    pagerdutyIncidentId: data.id,
    number: data.number,
    title: data.title,
    status: data.status,
    urgency: data.urgency,
    priority: data.priority?.summary ?? null,
    pagerdutyServiceId: data.service.id,
    serviceName: data.service.summary ?? data.service.id,
    assignees: (data.assignees ?? []).map((assignee) => ({ id: assignee.id, summary: assignee.summary ?? assignee.id })),
    escalationPolicyId: data.escalation_policy?.id ?? null,
    escalationPolicyName: data.escalation_policy?.summary ?? null,
    htmlUrl: data.html_url,
  };
}

function parseOccurredAt(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
