import { z } from "zod";
import { invalidInput, notFound } from "./errors";
import { pageBody, paginate, parsePageRequest } from "./http";
import { matchesQuery, type RestCall, type RestRoute } from "./routes";
import { newObjectId, type FakeAccount } from "./state";

// On-call schedules. The fake has no rotation layers: a schedule is a list of shifts (user, start,
// end) that a test sets through POST /_sandbox/schedules, and GET /schedules/{id} renders them as
// the final schedule, the way PagerDuty renders a schedule's layers and overrides.

export interface ScheduleShift {
  userId: string;
  start: string;
  end: string;
}

export interface ScheduleRecord {
  id: string;
  name: string;
  timeZone: string;
  shifts: ScheduleShift[];
}

/** Schedules of each account; kept beside the account so that a reset (a new account) clears them. */
const schedulesByAccount = new WeakMap<FakeAccount, Map<string, ScheduleRecord>>();

export function schedulesOf(account: FakeAccount): Map<string, ScheduleRecord> {
  let schedules = schedulesByAccount.get(account);
  if (!schedules) {
    schedules = new Map();
    schedulesByAccount.set(account, schedules);
  }
  return schedules;
}

export const scheduleBody = z.object({
  id: z.string().regex(/^[A-Z0-9]{2,20}$/).optional(),
  name: z.string().trim().min(1),
  timeZone: z.string().min(1).default("UTC"),
  shifts: z
    .array(z.object({ userId: z.string().min(1), start: z.string().datetime({ offset: true }), end: z.string().datetime({ offset: true }) }))
    .min(1),
});

/** Creates or replaces a schedule (the control API's POST /_sandbox/schedules). */
export function putSchedule(account: FakeAccount, input: z.infer<typeof scheduleBody>): ScheduleRecord {
  for (const shift of input.shifts) {
    if (!account.users.has(shift.userId)) throw invalidInput(`shifts: no user has the ID ${shift.userId}`);
    if (Date.parse(shift.end) <= Date.parse(shift.start)) throw invalidInput("shifts: each shift must end after it starts");
  }
  const record: ScheduleRecord = {
    id: input.id ?? newObjectId(),
    name: input.name,
    timeZone: input.timeZone,
    shifts: [...input.shifts].sort((a, b) => Date.parse(a.start) - Date.parse(b.start)),
  };
  schedulesOf(account).set(record.id, record);
  return record;
}

function renderSchedule(call: RestCall, schedule: ScheduleRecord, window: { since: number; until: number } | null) {
  const { render, config } = call.app;
  const origin = config.origin;
  // Like PagerDuty, entries are cut to the requested window.
  const entries = window
    ? schedule.shifts
        .filter((shift) => Date.parse(shift.start) < window.until && Date.parse(shift.end) > window.since)
        .map((shift) => ({
          start: new Date(Math.max(Date.parse(shift.start), window.since)).toISOString(),
          end: new Date(Math.min(Date.parse(shift.end), window.until)).toISOString(),
          user: render.userReference(shift.userId),
        }))
    : [];
  return {
    id: schedule.id,
    type: "schedule",
    summary: schedule.name,
    self: `${origin}/schedules/${schedule.id}`,
    html_url: `${origin}/schedules/${schedule.id}`,
    name: schedule.name,
    time_zone: schedule.timeZone,
    description: null,
    users: [...new Set(schedule.shifts.map((shift) => shift.userId))].map((userId) => render.userReference(userId)),
    escalation_policies: [],
    teams: [],
    schedule_layers: [],
    final_schedule: { name: "Final Schedule", rendered_coverage_percentage: null, rendered_schedule_entries: entries },
  };
}

function readWindow(call: RestCall): { since: number; until: number } {
  const read = (name: string): number | undefined => {
    const text = call.query.get(name);
    if (text === undefined) return undefined;
    const value = Date.parse(text);
    if (Number.isNaN(value)) throw invalidInput(`${name} must be an ISO 8601 time; got "${text}"`);
    return value;
  };
  const since = read("since") ?? call.app.config.clock().getTime();
  // PagerDuty renders two weeks when no `until` is given.
  const until = read("until") ?? since + 14 * 24 * 60 * 60 * 1000;
  if (until < since) throw invalidInput("until must not be before since");
  return { since, until };
}

export const scheduleRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/schedules",
    handle(call) {
      const page = parsePageRequest(call.query);
      const schedules = [...schedulesOf(call.app.account).values()]
        .filter((schedule) => matchesQuery(call.query.get("query"), schedule.name))
        .sort((a, b) => a.name.localeCompare(b.name));
      return { status: 200, body: pageBody("schedules", paginate(schedules, page), (schedule) => renderSchedule(call, schedule, null)) };
    },
  },
  {
    method: "GET",
    path: "/schedules/:id",
    handle(call) {
      const schedule = schedulesOf(call.app.account).get(call.params.id ?? "");
      if (!schedule) throw notFound(`Schedule "${call.params.id ?? ""}" not found`);
      return { status: 200, body: { schedule: renderSchedule(call, schedule, readWindow(call)) } };
    },
  },
];

