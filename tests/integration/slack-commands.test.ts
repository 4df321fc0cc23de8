import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PEOPLE, person } from "../../sandbox/seed";
import { env, eventually, getJson, postInteraction, sql } from "./helpers";
import {
  borrowTrigger,
  closeModal,
  ephemeralTo,
  filledModal,
  openViews,
  pagerdutyRequests,
  postCommand,
  processedInbound,
  slackUserId,
  submitModal,
  typeInChannel,
} from "./slack-user-support";

interface FakeIncident {
  id: string;
  title: string;
  incident_number: number;
}

async function incidentsTitled(title: string): Promise<FakeIncident[]> {
  const { incidents } = await getJson<{ incidents: FakeIncident[] }>(`${env.pagerdutyUrl}/_sandbox/incidents`);
  return incidents.filter((incident) => incident.title === title);
}

/** Returns the UTC offset of `timeZone` at `at`, in minutes, read from Intl's long offset name. */
function offsetMinutes(at: Date, timeZone: string): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(at).find((part) => part.type === "timeZoneName")!.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const sign = match[1] === "-" ? -1 : 1;
  return sign * (Number(match[2]) * 60 + Number(match[3]));
}

/** Finds the next instant (to the hour) when `timeZone` changes its offset, with the offset after it. */
function nextOffsetChange(timeZone: string, from: Date): { at: Date; offsetAfter: number } | null {
  const hour = 60 * 60 * 1000;
  const start = Math.ceil(from.getTime() / hour) * hour;
  let previous = offsetMinutes(new Date(start), timeZone);
  for (let time = start + hour; time < start + 400 * 24 * hour; time += hour) {
    const offset = offsetMinutes(new Date(time), timeZone);
    if (offset !== previous) return { at: new Date(time), offsetAfter: offset };
    previous = offset;
  }
  return null;
}

describe("/pd slash commands", () => {
  it("answers /pd help from the message box", async () => {
    const typed = await typeInChannel("responder", "C0INCIDENT", "/pd help");
    expect(typed.status).toBe(200);
    const help = await ephemeralTo("responder", /Switchboard's commands/);
    for (const name of ["trigger", "oncall", "unlink"]) expect(help.text).toContain(`/pd ${name}`);
  });

  it("shows help for an unknown subcommand", async () => {
    await typeInChannel("observer", "C0INCIDENT", "/pd dance-party");
    const help = await ephemeralTo("observer", /Switchboard does not know `\/pd dance-party`/);
    expect(help.text).toContain("/pd oncall");
  });

  it("triggers an incident as the user, defaulting to the channel's service", async () => {
    const typed = await typeInChannel("responder", "C0INCIDENT", "/pd trigger");
    expect(typed.status).toBe(200);
    expect(typed.body).toBe("");
    const modal = await filledModal("responder", "Trigger an incident");
    const service = modal.view.blocks.find((block) => block.block_id === "service");
    expect(service?.element.initial_option.value).toBe("P0SVCCHK");

    const title = `Checkout card form broken ${randomUUID().slice(0, 8)}`;
    const submitted = await submitModal("responder", modal.view.id, {
      service: { service_choice: { value: "P0SVCCHK" } },
      title: { title_text: { value: title } },
      urgency: { urgency_choice: { value: "low" } },
      description: { description_text: { value: "Seen by three customers" } },
    });
    expect(submitted.status).toBe(200);

    const created = await eventually(async () => (await pagerdutyRequests({ method: "POST", pathPrefix: "/incidents" })).find((request) => request.body?.incident?.title === title), "the new incident to reach PagerDuty");
    expect(created.status).toBe(201);
    expect(created.headers.from).toBe(person("responder").email);
    expect(created.body.incident).toMatchObject({
      service: { id: "P0SVCCHK", type: "service_reference" },
      urgency: "low",
      incident_key: `switchboard-slack-${modal.view.id}`,
      body: { type: "incident_body", details: "Seen by three customers" },
    });
    await ephemeralTo("responder", new RegExp(`Triggered incident .*#\\d+.*${title}`));
  });

  it("creates one incident when the same submission arrives twice", async () => {
    await typeInChannel("responder", "C0INCIDENT", "/pd trigger");
    const modal = await filledModal("responder", "Trigger an incident");
    const title = `Checkout double submit ${randomUUID().slice(0, 8)}`;
    const first = await submitModal("responder", modal.view.id, {
      service: { service_choice: { value: "P0SVCCHK" } },
      title: { title_text: { value: title } },
      urgency: { urgency_choice: { value: "high" } },
    });
    expect(first.status).toBe(200);
    // The same submission again, as a double click or a resent request delivers it.
    const again = await postInteraction(first.payload);
    expect(again.status).toBe(200);
    const stored = await sql<{ external_id: string }>(`SELECT external_id FROM inbound_event WHERE external_id LIKE $1`, [`view_submission:${modal.view.id}:%`]);
    expect(stored).toHaveLength(1);

    // A copy that gets past the inbox (another hash) reaches PagerDuty, whose incident_key check stops it.
    const copy = { ...first.payload, trigger_id: `copy-${randomUUID()}`, view: { ...first.payload.view, hash: `${first.payload.view.hash}-copy` } };
    expect((await postInteraction(copy)).status).toBe(200);
    expect(await processedInbound("slack_interaction", `view_submission:${modal.view.id}:${copy.view.hash}`)).toBe("processed");
    await ephemeralTo("responder", new RegExp(`Already triggered: incident .*${title}`));

    expect(await incidentsTitled(title)).toHaveLength(1);
    const posts = (await pagerdutyRequests({ method: "POST", pathPrefix: "/incidents" })).filter((request) => request.body?.incident?.title === title);
    expect(posts.map((request) => request.status)).toEqual([201, 400]);
  });

  it("refuses a limited user's trigger on another team's service", async () => {
    // Liam is a Limited User of the Platform team; Checkout API belongs to Payments.
    await typeInChannel("limited", "C0INCIDENT", "/pd trigger");
    const modal = await filledModal("limited", "Trigger an incident");
    const title = `Checkout by a limited user ${randomUUID().slice(0, 8)}`;
    await submitModal("limited", modal.view.id, { service: { service_choice: { value: "P0SVCCHK" } }, title: { title_text: { value: title } }, urgency: { urgency_choice: { value: "high" } } });
    const refusal = await ephemeralTo("limited", /You can't trigger incidents on this service/);
    expect(refusal.text).toMatch(/acts only on services of your own teams/);
    expect(await processedInbound("slack_interaction", `view_submission:${modal.view.id}:${modal.view.hash}`)).toBe("processed");
    expect((await pagerdutyRequests({ method: "POST", pathPrefix: "/incidents" })).filter((request) => request.body?.incident?.title === title)).toHaveLength(0);
  });

  it("refuses an observer's trigger in place of the form", async () => {
    const typed = await typeInChannel("observer", "C0INCIDENT", "/pd trigger");
    await ephemeralTo("observer", /You can't trigger incidents\. Your PagerDuty role \(Observer\)/);
    expect(await processedInbound("slack_command", new URLSearchParams(typed.sent).get("trigger_id")!)).toBe("processed");
    const modal = await filledModal("observer", "Trigger an incident");
    expect(modal.view.callback_id).toBe("sb_message");
    expect(modal.inputs).toEqual([]);
  });

  it("answers /pd trigger in a channel without an extension with a 403_client_error", async () => {
    const typed = await typeInChannel("responder", "C0RANDOM01", "/pd trigger");
    expect(typed.status).toBe(200);
    const answer = await ephemeralTo("responder", /403_client_error/, "C0RANDOM01");
    expect(answer.text).toContain("not connected to a PagerDuty service");
    expect(answer.text).toContain("New Extension");
    const triggerId = new URLSearchParams(typed.sent).get("trigger_id")!;
    expect(await processedInbound("slack_command", triggerId)).toBe("processed");
    expect((await openViews("responder")).filter((view) => view.view.title.text === "Trigger an incident" && view.view.callback_id !== "sb_loading" && !view.view.private_metadata.includes("C0INCIDENT"))).toHaveLength(0);
  });

  it("opens the trigger modal from a DM with no default service", async () => {
    // The fake Slack has no DMs, so the command is sent as Slack sends one from a DM, with a real trigger_id.
    const borrowed = await borrowTrigger("responder", "C0GENERAL1");
    const response = await postCommand({
      channel_id: "D0ROSADM01",
      channel_name: "directmessage",
      user_id: slackUserId("responder"),
      user_name: "rosa.responder",
      text: "trigger",
      trigger_id: borrowed.triggerId,
      response_url: borrowed.responseUrl,
    });
    expect(response.status).toBe(200);
    const modal = await eventually(async () => (await openViews("responder")).find((view) => view.view.title.text === "Trigger an incident" && view.view.private_metadata.includes("D0ROSADM01") && view.view.callback_id === "sb_trigger"), "the trigger modal of the DM");
    const service = modal.view.blocks.find((block) => block.block_id === "service");
    expect(service?.element.initial_option).toBeUndefined();
    expect((service?.element.options as { value: string }[]).map((option) => option.value)).toEqual(expect.arrayContaining(["P0SVCCHK", "P0SVCPLT", "P0SVCSRC"]));
    await closeModal("responder", modal.view.id);
  });

  it("shows who is on call for the channel's service, by Slack mention or name", async () => {
    await typeInChannel("responder", "C0INCIDENT", "/pd oncall");
    const answer = await ephemeralTo("responder", /On call now for Checkout On-Call/);
    expect(answer.text).toContain(`Level 1: <@${slackUserId("responder")}>`);
    // Paula has no Slack account, so she is shown by name.
    expect(answer.text).toContain(`Level 2: <@${slackUserId("owner")}>, Paula Pageronly`);
    expect(answer.text).toContain("Times are in your Slack time zone, Europe/Berlin.");
  });

  it("answers in a private channel the bot is not in, through the response_url", async () => {
    await typeInChannel("responder", "C0SECURITY", "/pd oncall Platform On-Call");
    const answer = await ephemeralTo("responder", /On call now for Platform On-Call/, "C0SECURITY");
    expect(answer.text).toContain(`Level 1: <@${slackUserId("limited")}>`);
    expect(answer.text).toContain(`Level 2: <@${slackUserId("admin")}>`);
  });

  it("says when no policy or schedule has the name", async () => {
    await typeInChannel("responder", "C0INCIDENT", "/pd oncall Nobody Here Rota");
    await ephemeralTo("responder", /No escalation policy or schedule in PagerDuty is named "Nobody Here Rota"/);
  });

  it("shows a handover during a daylight-saving change in the viewer's time zone", async () => {
    const now = new Date();
    // The seeded person whose zone changes its offset soonest; the server runs in another zone.
    const serverZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const candidates = PEOPLE.filter((candidate) => candidate.slackUserId && candidate.pagerdutyUserId && candidate.key !== "owner")
      .map((candidate) => ({ candidate, change: nextOffsetChange(candidate.timeZone, now) }))
      .filter((entry) => entry.change !== null && entry.candidate.timeZone !== serverZone)
      .sort((a, b) => a.change!.at.getTime() - b.change!.at.getTime());
    const { candidate: viewer, change } = candidates[0]!;
    expect(viewer.timeZone).not.toBe(serverZone);

    // The viewer is on call until 30 minutes after the clocks change; then the owner takes over.
    const handover = new Date(change!.at.getTime() + 30 * 60 * 1000);
    const scheduleName = `Rota across the clock change ${randomUUID().slice(0, 6)}`;
    const created = await fetch(`${env.pagerdutyUrl}/_sandbox/schedules`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        name: scheduleName,
        timeZone: viewer.timeZone,
        shifts: [
          { userId: viewer.pagerdutyUserId, start: new Date(now.getTime() - 60 * 60 * 1000).toISOString(), end: handover.toISOString() },
          { userId: person("owner").pagerdutyUserId, start: handover.toISOString(), end: new Date(handover.getTime() + 2 * 24 * 60 * 60 * 1000).toISOString() },
        ],
      }),
    });
    expect(created.status).toBe(201);

    // The viewer's wall-clock time of the handover, worked out from the offset after the change.
    const wall = new Date(handover.getTime() + change!.offsetAfter * 60 * 1000);
    const hhmm = `${String(wall.getUTCHours()).padStart(2, "0")}:${String(wall.getUTCMinutes()).padStart(2, "0")}`;
    const hours = Math.trunc(Math.abs(change!.offsetAfter) / 60);
    const minutes = Math.abs(change!.offsetAfter) % 60;
    const offset = `UTC${change!.offsetAfter < 0 ? "-" : "+"}${hours}${minutes ? `:${String(minutes).padStart(2, "0")}` : ""}`;

    // The viewer may be in no channel with an extension, so the command goes to #general, where everyone is.
    await typeInChannel(viewer.key, "C0GENERAL1", `/pd oncall ${scheduleName}`);
    const answer = await ephemeralTo(viewer.key, new RegExp(`On call now for ${scheduleName}`), "C0GENERAL1");
    expect(answer.text).toContain(`<@${viewer.slackUserId}> until `);
    expect(answer.text).toContain(`${hhmm} (${offset}), then <@${slackUserId("owner")}>`);
    expect(answer.text).toContain(`Times are in your Slack time zone, ${viewer.timeZone}.`);
  });

  it("unlinks with /pd unlink, but not a link from the configuration file", async () => {
    const rhea = person("restricted");
    await sql(`UPDATE linked_user SET managed_by = NULL WHERE slack_user_id = $1`, [rhea.slackUserId]);
    try {
      await typeInChannel("restricted", "C0INCIDENT", "/pd unlink");
      await ephemeralTo("restricted", /no longer linked to the PagerDuty user rhea.restricted@example.com/);
      expect(await sql(`SELECT id FROM linked_user WHERE slack_user_id = $1`, [rhea.slackUserId])).toEqual([]);
      const audit = await sql<{ action: string; actor_label: string }>(`SELECT action, actor_label FROM audit_log_entry WHERE action = 'slack_link.delete' AND details->>'slackUserId' = $1`, [rhea.slackUserId]);
      expect(audit).toContainEqual({ action: "slack_link.delete", actor_label: `Slack user ${rhea.slackUserId}` });
    } finally {
      await sql(
        `INSERT INTO linked_user (id, slack_team_id, slack_user_id, pagerduty_user_id, pagerduty_email, managed_by, updated_at)
         VALUES (gen_random_uuid(), 'T0SANDBOX1', $1, $2, $3, 'config', now())
         ON CONFLICT (slack_team_id, slack_user_id) DO UPDATE SET managed_by = 'config', pagerduty_user_id = EXCLUDED.pagerduty_user_id, pagerduty_email = EXCLUDED.pagerduty_email`,
        [rhea.slackUserId, rhea.pagerdutyUserId, rhea.email],
      );
    }

    await typeInChannel("owner", "C0INCIDENT", "/pd unlink");
    await ephemeralTo("owner", /set in Switchboard's configuration file/);
    expect(await sql(`SELECT id FROM linked_user WHERE slack_user_id = $1`, [person("owner").slackUserId])).toHaveLength(1);
  });
});
