import { getPagerDutyClient } from "../../pagerduty/connection";
import { getPagerDutyUserProfile } from "../../pagerduty/users";
import { PagerDutyApiError, type PagerDutyClient } from "../../pagerduty/client";
import { NOT_CONNECTED_TO_PAGERDUTY } from "../actions/actor";
import { replyToUser, type SlackUserContext } from "../actions/context";
import { listEscalationPolicies, listOncalls, listScheduleEntries, listSchedules, type RestOncall, type RestScheduleEntry } from "../actions/pagerduty-requests";
import { channelService } from "../actions/trigger";
import { slackClientFor, slackErrorName } from "../client";
import { escapeAndTruncate, escapeMrkdwn, mentionUser } from "../mrkdwn";
import { formatInTimeZone, isValidTimeZone } from "./time-format";

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far ahead a schedule is read to find when the current shift ends and who takes over: two weeks, then 200 days. */
const SCHEDULE_LOOKAHEADS_MS = [14 * DAY_MS, 200 * DAY_MS];
/** How many name matches `/pd oncall <name>` shows before asking for a more exact name. */
const MAX_MATCHES = 5;

interface OnCallPerson {
  pagerdutyUserId: string;
  name: string;
  email: string | null;
}

type Target = { kind: "escalation_policy"; id: string; name: string } | { kind: "schedule"; id: string; name: string };

/**
 * `/pd oncall [name]`: who is on call now for the channel's service (its escalation policy), or for
 * the escalation policy or schedule named. Times are in the viewer's Slack time zone, which the
 * reply names; people with a Slack account are mentioned, others shown by name.
 */
export async function answerOncall(context: SlackUserContext, input: { argument: string; channelName?: string; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  const client = await getPagerDutyClient();
  if (!client) {
    await replyToUser(context, NOT_CONNECTED_TO_PAGERDUTY.replace(" Nothing was sent to PagerDuty.", ""));
    return;
  }

  const targets = input.argument ? await targetsByName(client, input.argument) : await targetsOfChannel(context, client, input.channelName);
  if (typeof targets === "string") {
    await replyToUser(context, targets);
    return;
  }

  const timeZone = await viewerTimeZone(context);
  const names = new PersonNames(context, client);
  const sections: string[] = [];
  for (const target of targets) {
    sections.push(target.kind === "escalation_policy" ? await policySection(client, target, names, timeZone, now) : await scheduleSection(client, target, names, timeZone, now));
  }
  const zoneNote = timeZone.known ? `Times are in your Slack time zone, ${timeZone.name}.` : "Slack did not say your time zone, so times are in UTC.";
  const text = [...sections, `_${zoneNote}_`].join("\n\n");
  await replyToUser(context, { text, blocks: [...sections.map((section) => ({ type: "section", text: { type: "mrkdwn", text: section.slice(0, 3000) } })), { type: "context", elements: [{ type: "mrkdwn", text: zoneNote }] }] });
}

async function targetsOfChannel(context: SlackUserContext, client: PagerDutyClient, channelName?: string): Promise<Target[] | string> {
  const service = await channelService(context, channelName);
  if (service.kind !== "mapped") {
    return "No PagerDuty service is connected to this channel. Name an escalation policy or schedule instead, for example `/pd oncall Checkout On-Call`.";
  }
  const extensions = await context.prisma.slackExtension.findMany({
    where: { workspaceId: context.workspace.id, slackChannelId: context.channelId, status: { not: "disabled" } },
    orderBy: { createdAt: "asc" },
  });
  const targets: Target[] = [];
  for (const serviceId of new Set(extensions.map((extension) => extension.pagerdutyServiceId))) {
    const policy = (await client.getService(serviceId)).service.escalation_policy;
    if (policy && !targets.some((target) => target.id === policy.id)) targets.push({ kind: "escalation_policy", id: policy.id, name: policy.summary ?? policy.id });
  }
  return targets.length > 0 ? targets : "The service connected to this channel has no escalation policy in PagerDuty, so nobody is on call for it.";
}

async function targetsByName(client: PagerDutyClient, name: string): Promise<Target[] | string> {
  const wanted = name.trim().toLowerCase();
  const [policies, schedules] = await Promise.all([listEscalationPolicies(client, name), listSchedules(client, name)]);
  const all: Target[] = [
    ...policies.map((policy) => ({ kind: "escalation_policy" as const, id: policy.id, name: policy.name })),
    ...schedules.map((schedule) => ({ kind: "schedule" as const, id: schedule.id, name: schedule.name })),
  ];
  const exact = all.filter((target) => target.name.trim().toLowerCase() === wanted);
  const matches = exact.length > 0 ? exact : all.filter((target) => target.name.toLowerCase().includes(wanted));
  if (matches.length === 0) return `No escalation policy or schedule in PagerDuty is named "${escapeAndTruncate(name, 100)}".`;
  if (matches.length > MAX_MATCHES) {
    const listed = matches.slice(0, MAX_MATCHES).map((target) => `"${escapeAndTruncate(target.name, 100)}"`).join(", ");
    return `${matches.length} escalation policies and schedules match "${escapeAndTruncate(name, 100)}", for example ${listed}. Give more of the name.`;
  }
  return matches;
}

interface ViewerZone {
  name: string;
  known: boolean;
}

async function viewerTimeZone(context: SlackUserContext): Promise<ViewerZone> {
  try {
    const result = await slackClientFor(context.workspace).users.info({ user: context.slackUserId });
    const tz = result.user?.tz;
    if (tz && isValidTimeZone(tz)) return { name: tz, known: true };
  } catch (error) {
    context.log.info({ error: slackErrorName(error) ?? String(error) }, "users.info failed; on-call times are shown in UTC");
  }
  return { name: "UTC", known: false };
}

async function policySection(client: PagerDutyClient, target: Target, names: PersonNames, zone: ViewerZone, now: Date): Promise<string> {
  const oncalls = await listOncalls(client, { escalationPolicyIds: [target.id] });
  const header = `*On call now for ${escapeAndTruncate(target.name, 200)}* (escalation policy)`;
  if (oncalls.length === 0) return `${header}\nNobody is on call.`;
  const levels = [...new Set(oncalls.map((entry) => entry.escalation_level))].sort((a, b) => a - b);
  const lines: string[] = [];
  for (const level of levels) {
    const entries = dedupeByUser(oncalls.filter((entry) => entry.escalation_level === level));
    const people = await Promise.all(entries.map(async (entry) => `${await names.show(personOf(entry.user))}${untilText(entry, zone, now)}`));
    lines.push(`Level ${level}: ${people.join(", ")}`);
  }
  return [header, ...lines].join("\n");
}

async function scheduleSection(client: PagerDutyClient, target: Target, names: PersonNames, zone: ViewerZone, now: Date): Promise<string> {
  const header = `*On call now for ${escapeAndTruncate(target.name, 200)}* (schedule)`;
  const window = await currentShifts(client, target.id, now);
  if (window.current.length === 0) return `${header}\nNobody is on call now.`;
  const lines: string[] = [];
  for (const entry of window.current) {
    const end = new Date(entry.end);
    const next = window.entries.find((candidate) => Date.parse(candidate.start) === end.getTime() && candidate.user.id !== entry.user.id);
    const handover = next ? `, then ${await names.show(personOf(next.user))}` : "";
    // An end at the window's end may be the window's edge rather than the shift's.
    const until = end.getTime() >= window.until.getTime() ? "until at least" : "until";
    lines.push(`${await names.show(personOf(entry.user))} ${until} ${formatInTimeZone(end, zone.name, now)}${handover}`);
  }
  return [header, ...lines].join("\n");
}

/**
 * Reads the shifts on call now and those that follow. PagerDuty cuts rendered entries to the requested
 * window, so when a current shift reaches the end of a short window, a longer one is read to find
 * when it really ends.
 */
async function currentShifts(client: PagerDutyClient, scheduleId: string, now: Date): Promise<{ entries: RestScheduleEntry[]; current: RestScheduleEntry[]; until: Date }> {
  let result = { entries: [] as RestScheduleEntry[], current: [] as RestScheduleEntry[], until: now };
  for (const lookaheadMs of SCHEDULE_LOOKAHEADS_MS) {
    const until = new Date(now.getTime() + lookaheadMs);
    let entries: RestScheduleEntry[];
    try {
      entries = await listScheduleEntries(client, { scheduleId, since: now, until });
    } catch (error) {
      // NOTE: PagerDuty's largest schedule window is not documented; a 400 for the long one keeps the short one's result.
      if (error instanceof PagerDutyApiError && error.status === 400 && result.until > now) return result;
      throw error;
    }
    const sorted = [...entries].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    const current = sorted.filter((entry) => Date.parse(entry.start) <= now.getTime() && now.getTime() < Date.parse(entry.end));
    result = { entries: sorted, current, until };
    if (!current.some((entry) => Date.parse(entry.end) >= until.getTime())) return result;
  }
  return result;
}

function untilText(entry: RestOncall, zone: ViewerZone, now: Date): string {
  if (!entry.end) return "";
  return ` until ${formatInTimeZone(new Date(entry.end), zone.name, now)}`;
}

function dedupeByUser(entries: RestOncall[]): RestOncall[] {
  const seen = new Set<string>();
  return entries.filter((entry) => (seen.has(entry.user.id) ? false : (seen.add(entry.user.id), true)));
}

function personOf(user: RestOncall["user"] | RestScheduleEntry["user"]): OnCallPerson {
  return { pagerdutyUserId: user.id, name: user.name ?? user.summary ?? user.id, email: user.email ?? null };
}

/**
 * Shows PagerDuty users as Slack mentions where they have a Slack account in the workspace (a link,
 * or a Slack member with the same email), and by name otherwise.
 */
class PersonNames {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    private readonly context: SlackUserContext,
    private readonly client: PagerDutyClient,
  ) {}

  show(person: OnCallPerson): Promise<string> {
    let shown = this.cache.get(person.pagerdutyUserId);
    if (!shown) {
      shown = this.lookUp(person);
      this.cache.set(person.pagerdutyUserId, shown);
    }
    return shown;
  }

  private async lookUp(person: OnCallPerson): Promise<string> {
    const byName = escapeMrkdwn(person.name);
    const link = await this.context.prisma.linkedUser.findFirst({ where: { slackTeamId: this.context.workspace.slackTeamId, pagerdutyUserId: person.pagerdutyUserId } });
    if (link) return mentionUser(link.slackUserId) ?? byName;
    try {
      // Schedule entries carry user references without an email; the profile (cached) has it.
      const email = person.email ?? (await getPagerDutyUserProfile({ prisma: this.context.prisma, client: this.client, pagerdutyUserId: person.pagerdutyUserId })).email;
      const result = await slackClientFor(this.context.workspace).users.lookupByEmail({ email });
      return (result.user?.id && mentionUser(result.user.id)) || byName;
    } catch (error) {
      const name = slackErrorName(error);
      if (name !== "users_not_found") this.context.log.info({ error: name ?? String(error) }, "users.lookupByEmail failed; showing the name");
      return byName;
    }
  }
}
