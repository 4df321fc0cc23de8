import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { PagerDutyApiError, type RestReference } from "../pagerduty/client";
import { getPagerDutyClient } from "../pagerduty/connection";

export interface TimelineEntry {
  id: string;
  at: string;
  /** "pagerduty" for the incident's log entries and notes, "switchboard" for Switchboard's own actions. */
  source: "pagerduty" | "switchboard";
  kind: "change" | "note" | "channel";
  summary: string;
  /** The person or integration that acted, where known. */
  by: string | null;
  /** The note's text, for notes. */
  content: string | null;
}

export interface IncidentTimeline {
  entries: TimelineEntry[];
  /** Why PagerDuty's part is missing, when it could not be read; Switchboard's entries are still listed. */
  pagerdutyProblem: string | null;
}

interface RestLogEntry {
  id: string;
  type: string;
  summary?: string | null;
  created_at: string;
  agent?: RestReference | null;
}

interface RestNote {
  id: string;
  content: string;
  created_at: string;
  user?: RestReference | null;
}

const AUDIT_SUMMARIES: Record<string, string> = {
  "incident_channel.create": "Incident channel created",
  "incident_channel.associate": "Existing channel set as the incident channel",
  "incident_channel.remove": "Incident channel removed",
  "incident_channel.auto_create_failed": "Automatic incident channel failed",
};

/** PagerDuty's part of a timeline: its log entries and notes, or why they could not be read. */
interface PagerDutyPart {
  entries: TimelineEntry[];
  problem: string | null;
}

/** At most this many incidents' PagerDuty parts are kept; the oldest read is dropped first. */
const MAX_CACHED_INCIDENTS = 500;
const pagerdutyParts = new Map<string, { at: number; part: PagerDutyPart }>();

/**
 * Builds the incident's timeline, newest first: PagerDuty's log entries and notes, read from its
 * REST API, with Switchboard's own channel actions from the audit log.
 *
 * Without `maxAgeMs` PagerDuty is read live. With it, a read of the same incident at most that old
 * is reused, so that a page which renders itself every few seconds reads PagerDuty less often.
 * Switchboard's own entries are always read from the database.
 */
export async function getIncidentTimeline(prisma: PrismaClient, input: { pagerdutyIncidentId: string; maxAgeMs?: number }): Promise<IncidentTimeline> {
  const cached = pagerdutyParts.get(input.pagerdutyIncidentId);
  let pagerduty: PagerDutyPart;
  if (cached && input.maxAgeMs !== undefined && Date.now() - cached.at <= input.maxAgeMs) {
    pagerduty = cached.part;
  } else {
    pagerduty = await readPagerDutyPart(input.pagerdutyIncidentId);
    // Deleting first moves the incident to the end of the Map's order, which is oldest first.
    pagerdutyParts.delete(input.pagerdutyIncidentId);
    pagerdutyParts.set(input.pagerdutyIncidentId, { at: Date.now(), part: pagerduty });
    const oldest = pagerdutyParts.keys().next().value;
    if (pagerdutyParts.size > MAX_CACHED_INCIDENTS && oldest !== undefined) pagerdutyParts.delete(oldest);
  }
  const entries: TimelineEntry[] = [...pagerduty.entries];
  const pagerdutyProblem = pagerduty.problem;

  const audits = await prisma.auditLogEntry.findMany({
    where: { targetType: "incident", targetId: input.pagerdutyIncidentId },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  for (const audit of audits) {
    const details = (audit.details ?? {}) as { slackChannelName?: string; reason?: string };
    const summary = AUDIT_SUMMARIES[audit.action] ?? audit.action;
    entries.push({
      id: `audit-${audit.id}`,
      at: audit.createdAt.toISOString(),
      source: "switchboard",
      kind: "channel",
      summary: details.slackChannelName ? `${summary}: #${details.slackChannelName}` : summary,
      by: audit.actorLabel,
      content: details.reason ?? null,
    });
  }

  entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.id.localeCompare(b.id));
  return { entries, pagerdutyProblem };
}

/**
 * Reads the incident's log entries and notes from PagerDuty. Annotate log entries are left out
 * because the notes carry the same event with its text.
 */
async function readPagerDutyPart(pagerdutyIncidentId: string): Promise<PagerDutyPart> {
  const client = await getPagerDutyClient();
  if (!client) {
    return { entries: [], problem: "Switchboard has no PagerDuty API token, so it cannot read the incident's log. An admin can set it in Settings → PagerDuty." };
  }
  const path = `/incidents/${encodeURIComponent(pagerdutyIncidentId)}`;
  try {
    const [logEntries, notes] = await Promise.all([
      client.listAll<RestLogEntry>(`${path}/log_entries`, "log_entries"),
      client.request<{ notes: RestNote[] }>("GET", `${path}/notes`),
    ]);
    const entries: TimelineEntry[] = [];
    for (const entry of logEntries) {
      if (entry.type === "annotate_log_entry") continue;
      entries.push({ id: entry.id, at: entry.created_at, source: "pagerduty", kind: "change", summary: entry.summary ?? entry.type, by: entry.agent?.summary ?? null, content: null });
    }
    for (const note of notes.notes ?? []) {
      entries.push({ id: note.id, at: note.created_at, source: "pagerduty", kind: "note", summary: "Note added", by: note.user?.summary ?? null, content: note.content });
    }
    return { entries, problem: null };
  } catch (error) {
    if (!(error instanceof PagerDutyApiError)) throw error;
    const problem =
      error.status === 404
        ? "PagerDuty no longer has this incident, so its log cannot be shown."
        : `PagerDuty did not return the incident's log (${error.message}). Reload the page to try again.`;
    return { entries: [], problem };
  }
}

/** Throws not_found unless Switchboard has stored the incident, so the timeline is read only for known incidents. */
export async function requireKnownIncident(prisma: PrismaClient, pagerdutyIncidentId: string) {
  const incident = await prisma.incident.findUnique({ where: { pagerdutyIncidentId } });
  if (!incident) throw new AppError("not_found", `Switchboard has no incident ${pagerdutyIncidentId}. It appears here once PagerDuty sends its webhook.`);
  return incident;
}
