import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { person } from "../seed";
import type { FakePagerDuty } from "./server";
import { restClient, startTestFake } from "./testing";

describe("fake PagerDuty schedules", () => {
  let fake: FakePagerDuty;
  let api: ReturnType<typeof restClient>;
  const now = new Date("2026-10-24T12:00:00Z");

  beforeEach(async () => {
    fake = await startTestFake({ clock: () => now });
    api = restClient(fake.url);
  });

  afterEach(async () => {
    await fake.close();
  });

  async function createSchedule(body: unknown) {
    const response = await fetch(`${fake.url}/_sandbox/schedules`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { schedule?: { id: string }; error?: unknown } };
  }

  it("renders the shifts of a window, cut to it", async () => {
    const created = await createSchedule({
      name: "Checkout Primary",
      timeZone: "Europe/Berlin",
      shifts: [
        { userId: person("responder").pagerdutyUserId, start: "2026-10-24T00:30:00Z", end: "2026-10-25T01:30:00Z" },
        { userId: person("owner").pagerdutyUserId, start: "2026-10-25T01:30:00Z", end: "2026-10-26T01:30:00Z" },
      ],
    });
    expect(created.status).toBe(201);
    const id = created.body.schedule!.id;

    const listed = await api("GET", "/schedules?query=checkout");
    expect(listed.body.schedules.map((schedule: { id: string }) => schedule.id)).toEqual([id]);

    const rendered = await api("GET", `/schedules/${id}?since=${now.toISOString()}&until=2026-10-25T12:00:00Z`);
    expect(rendered.status).toBe(200);
    expect(rendered.body.schedule.final_schedule.rendered_schedule_entries).toEqual([
      expect.objectContaining({ start: "2026-10-24T12:00:00.000Z", end: "2026-10-25T01:30:00.000Z", user: expect.objectContaining({ id: person("responder").pagerdutyUserId }) }),
      expect.objectContaining({ start: "2026-10-25T01:30:00.000Z", end: "2026-10-25T12:00:00.000Z", user: expect.objectContaining({ id: person("owner").pagerdutyUserId }) }),
    ]);
  });

  it("rejects a shift of an unknown user or that ends before it starts", async () => {
    const unknown = await createSchedule({ name: "X", shifts: [{ userId: "PNOBODY", start: "2026-10-24T00:00:00Z", end: "2026-10-25T00:00:00Z" }] });
    expect(unknown.status).toBe(400);
    const backwards = await createSchedule({ name: "Y", shifts: [{ userId: person("owner").pagerdutyUserId, start: "2026-10-25T00:00:00Z", end: "2026-10-24T00:00:00Z" }] });
    expect(backwards.status).toBe(400);
  });

  it("answers 404 for an unknown schedule and forgets schedules on reset", async () => {
    const created = await createSchedule({ name: "Temporary", shifts: [{ userId: person("owner").pagerdutyUserId, start: "2026-10-24T00:00:00Z", end: "2026-10-25T00:00:00Z" }] });
    const id = created.body.schedule!.id;
    expect((await api("GET", "/schedules/PMISSING")).status).toBe(404);
    await fetch(`${fake.url}/_sandbox/reset`, { method: "POST" });
    expect((await api("GET", `/schedules/${id}`)).status).toBe(404);
  });
});
