import { describe, expect, it } from "vitest";
import { person } from "../../sandbox/seed";
import { eventually, postInteraction, sql } from "./helpers";
import {
  channelMessages,
  ephemeralTo,
  filledModal,
  openViews,
  pagerdutyRequests,
  pickMoreAction,
  postedMessageTs,
  pressButton,
  processedInbound,
  slackUserId,
  submitModal,
  triggerIncident,
  typeInChannel,
} from "./slack-user-support";

async function writesTo(incidentId: string) {
  const requests = await pagerdutyRequests({ pathPrefix: `/incidents/${incidentId}` });
  return requests.filter((request) => request.method !== "GET");
}

async function messageBlocks(ts: string): Promise<string> {
  const message = (await channelMessages()).find((candidate) => candidate.ts === ts);
  return JSON.stringify(message?.blocks ?? []);
}

describe("More actions… on the incident message", () => {
  it("adds a note as the user and announces it in the thread", async () => {
    const incidentId = await triggerIncident(`Checkout note test ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);

    const picked = await pickMoreAction("responder", { messageTs: ts, option: "add_note", incidentId });
    expect(picked.status).toBe(200);
    const modal = await filledModal("responder", "Add a Note");
    expect(modal.inputs).toContainEqual({ blockId: "note", actionId: "note_text", type: "plain_text_input" });

    const submitted = await submitModal("responder", modal.view.id, { note: { note_text: { value: "Rolled back deploy 4512 <fast>" } } });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe("");

    const note = await eventually(async () => (await pagerdutyRequests({ method: "POST", pathPrefix: `/incidents/${incidentId}/notes` }))[0], "the note to reach PagerDuty");
    expect(note.status).toBe(200);
    expect(note.headers.from).toBe(person("responder").email);
    expect(note.body).toEqual({ note: { content: "Rolled back deploy 4512 <fast>" } });

    // The Checkout extension has its Notes toggle on, so the webhook's announcement lands in the thread.
    const reply = await eventually(async () => (await channelMessages()).find((message) => message.thread_ts === ts && message.ts !== ts && String(message.text).includes("added a note")), "the note in the thread");
    expect(reply.text).toContain("Rosa Responder added a note");
    expect(reply.text).toContain("Rolled back deploy 4512 &lt;fast&gt;");
    await eventually(async () => ((await messageBlocks(ts)).includes("Note added by Rosa Responder") ? true : undefined), "the message to show the note as the last action");
  });

  it("shows an empty note's error beside the field and sends nothing", async () => {
    const incidentId = await triggerIncident(`Checkout empty note ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    await pickMoreAction("responder", { messageTs: ts, option: "add_note", incidentId });
    const modal = await filledModal("responder", "Add a Note");

    const submitted = await submitModal("responder", modal.view.id, { note: { note_text: { value: "   " } } });
    expect(submitted.status).toBe(200);
    expect(JSON.parse(submitted.body)).toEqual({ response_action: "errors", errors: { note: "Write the note before you add it." } });
    const still = (await openViews("responder")).find((view) => view.view.id === modal.view.id);
    expect(still?.errors).toEqual({ note: "Write the note before you add it." });
    expect(await pagerdutyRequests({ method: "POST", pathPrefix: `/incidents/${incidentId}/notes` })).toHaveLength(0);
  });

  it("lists each escalation level with who is on call and escalates", async () => {
    const incidentId = await triggerIncident(`Checkout escalate test ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    await pickMoreAction("responder", { messageTs: ts, option: "escalate", incidentId });
    const modal = await filledModal("responder", "Escalate");

    const levelBlock = modal.view.blocks.find((block) => block.block_id === "level");
    const levels = (levelBlock?.element.options as { value: string; description?: { text: string } }[]).map((option) => [option.value, option.description?.text]);
    expect(levels).toEqual([
      ["1", "On call: Rosa Responder"],
      ["2", "On call: Olivia Owner, Paula Pageronly"],
    ]);
    const policies = modal.view.blocks.find((block) => block.block_id === "policy")?.element.options as { value: string }[];
    expect(policies.map((option) => option.value)).toEqual(["P0EPPLT"]);

    await submitModal("responder", modal.view.id, { level: { level_choice: { value: "2" } } });
    const write = await eventually(async () => (await writesTo(incidentId))[0], "the escalation to reach PagerDuty");
    expect(write.method).toBe("PUT");
    expect(write.headers.from).toBe(person("responder").email);
    expect(write.body.incident).toMatchObject({ escalation_level: 2 });
    await eventually(async () => ((await messageBlocks(ts)).includes("Escalated by Rosa Responder") ? true : undefined), "the message to show the escalation");
    // Level 2's Olivia is linked, so she is mentioned; Paula has no Slack account and is named.
    expect(await messageBlocks(ts)).toContain(`<@${slackUserId("owner")}>`);
    expect(await messageBlocks(ts)).toContain("Paula Pageronly");
  });

  it("reassigns to chosen people", async () => {
    const incidentId = await triggerIncident(`Checkout reassign test ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    await pickMoreAction("responder", { messageTs: ts, option: "escalate", incidentId });
    const modal = await filledModal("responder", "Escalate");
    await submitModal("responder", modal.view.id, { users: { users_choice: { values: [person("admin").pagerdutyUserId] } } });

    const write = await eventually(async () => (await writesTo(incidentId))[0], "the reassignment to reach PagerDuty");
    expect(write.body.incident.assignments).toEqual([{ assignee: { id: person("admin").pagerdutyUserId, type: "user_reference" } }]);
    await eventually(async () => ((await messageBlocks(ts)).includes("Reassigned by Rosa Responder") ? true : undefined), "the message to show the reassignment");
  });

  it("announces only the updates whose toggle is on", async () => {
    // The Platform Core extension posts in #platform-alerts and announces resolutions only.
    const incidentId = await triggerIncident(`Platform toggles test ${Date.now()}`, "P0SVCPLT");
    const ts = await postedMessageTs(incidentId, "C0PLATFORM");
    await pickMoreAction("admin", { channelId: "C0PLATFORM", messageTs: ts, option: "escalate", incidentId });
    const modal = await filledModal("admin", "Escalate");
    await submitModal("admin", modal.view.id, { level: { level_choice: { value: "2" } } });
    const shared = async () => (await channelMessages("C0PLATFORM")).find((message) => message.ts === ts);
    await eventually(async () => (JSON.stringify((await shared())?.blocks).includes("Escalated by Adam Admin") ? true : undefined), "the message to show the escalation");

    await pressButton("admin", { channelId: "C0PLATFORM", messageTs: ts, actionId: "incident_resolve", value: incidentId });
    const resolved = await eventually(
      async () => (await channelMessages("C0PLATFORM")).find((message) => message.thread_ts === ts && message.ts !== ts && String(message.text).includes("Resolved")),
      "the resolution in the thread",
    );
    expect(resolved.text).toContain("Resolved by Adam Admin");
    // Both webhooks have been processed by now; only the resolution was announced.
    await eventually(async () => {
      const rows = await sql<{ count: string }>(`SELECT count(*)::text AS count FROM inbound_event WHERE source = 'pagerduty_webhook' AND status = 'pending'`);
      return rows[0]?.count === "0" ? true : undefined;
    }, "every webhook to be processed");
    const replies = (await channelMessages("C0PLATFORM")).filter((message) => message.thread_ts === ts && message.ts !== ts);
    expect(replies.map((message) => message.text)).toEqual([resolved.text]);
    expect(JSON.stringify((await shared())?.blocks)).toContain("Resolved by Adam Admin");
  });

  it("rejects two escalation choices at once", async () => {
    const incidentId = await triggerIncident(`Checkout two choices ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    await pickMoreAction("responder", { messageTs: ts, option: "escalate", incidentId });
    const modal = await filledModal("responder", "Escalate");
    const submitted = await submitModal("responder", modal.view.id, { level: { level_choice: { value: "1" } }, policy: { policy_choice: { value: "P0EPPLT" } } });
    expect(JSON.parse(submitted.body)).toEqual({ response_action: "errors", errors: { policy: "Choose only one: a level, people, or an escalation policy." } });
    expect(await writesTo(incidentId)).toHaveLength(0);
  });

  it("runs an incident workflow as the user", async () => {
    const incidentId = await triggerIncident(`Checkout play test ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    await pickMoreAction("responder", { messageTs: ts, option: "run_play", incidentId });
    const modal = await filledModal("responder", "Run a Play");
    const groups = modal.view.blocks.find((block) => block.block_id === "play")?.element.option_groups as { label: { text: string }; options: { value: string }[] }[];
    // The fake PagerDuty has no response plays (their API is gone), so only workflows are listed.
    expect(groups.map((group) => group.label.text)).toEqual(["Incident workflows"]);
    expect(groups[0]!.options.map((option) => option.value)).toContain("workflow:P0WFMAJ");

    await submitModal("responder", modal.view.id, { play: { play_choice: { value: "workflow:P0WFMAJ" } } });
    const started = await eventually(async () => (await pagerdutyRequests({ method: "POST", pathPrefix: "/incident_workflows/P0WFMAJ/instances" })).find((request) => request.body?.incident_workflow_instance?.incident?.id === incidentId), "the workflow to start");
    expect(started.status).toBe(201);
    await ephemeralTo("responder", /Started the incident workflow "Major incident response" on incident #\d+/);
  });

  it("shows the details with links to PagerDuty and Switchboard", async () => {
    const incidentId = await triggerIncident(`Checkout details test ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    await pickMoreAction("observer", { messageTs: ts, option: "view_details", incidentId });
    const details = await ephemeralTo("observer", new RegExp(`Checkout details test`));
    const blocks = JSON.stringify(details.blocks);
    expect(blocks).toContain("Open in PagerDuty");
    expect(blocks).toContain(`/incidents/${incidentId}`);
    expect(blocks).toContain("Open in Switchboard");
  });

  it("answers an expired trigger_id with an ephemeral try again", async () => {
    const incidentId = await triggerIncident(`Checkout expired trigger ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    // A trigger_id the fake Slack issued: /pd help replies at once and leaves its trigger unused.
    const typed = await typeInChannel("responder", "C0INCIDENT", "/pd help");
    const triggerId = new URLSearchParams(typed.sent).get("trigger_id")!;
    const issuedAt = Date.now();
    // Slack's trigger_id lasts 3 seconds; wait until the fake's clock has passed that.
    await eventually(async () => (Date.now() - issuedAt > 3_300 ? true : undefined), "the trigger_id to expire", 10_000);

    const response = await postInteraction({
      type: "block_actions",
      team: { id: "T0SANDBOX1", domain: "sandbox" },
      user: { id: slackUserId("responder") },
      api_app_id: "A0SWITCHBD",
      trigger_id: triggerId,
      container: { type: "message", message_ts: ts, channel_id: "C0INCIDENT", is_ephemeral: false },
      channel: { id: "C0INCIDENT", name: "incidents" },
      message: { ts },
      actions: [{ action_id: "incident_more_actions", block_id: `incident:${incidentId}`, type: "overflow", selected_option: { value: `add_note:${incidentId}` }, action_ts: String(Date.now() / 1000) }],
    });
    expect(response.status).toBe(200);
    expect(await processedInbound("slack_interaction", triggerId)).toBe("processed");
    const reply = await ephemeralTo("responder", /"Add a Note" could not open/);
    expect(reply.text).toContain("Try again");
    expect((await openViews("responder")).filter((view) => view.view.title.text === "Add a Note" && view.view.private_metadata.includes(incidentId))).toHaveLength(0);
  });

  it("refuses an observer's escalation and sends nothing to PagerDuty", async () => {
    const incidentId = await triggerIncident(`Checkout observer escalate ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    const picked = await pickMoreAction("observer", { messageTs: ts, option: "escalate", incidentId });
    const refusal = await ephemeralTo("observer", /You can't escalate this incident/);
    expect(refusal.text).toMatch(/can view incidents but not change them/);
    expect(refusal.text).toMatch(/Nothing was sent to PagerDuty/);
    expect(await processedInbound("slack_interaction", picked.payload.trigger_id)).toBe("processed");
    const modal = await filledModal("observer", "Escalate");
    expect(JSON.stringify(modal.view.blocks)).toContain("can view incidents but not change them");
    expect(await writesTo(incidentId)).toHaveLength(0);
  });

  it("refuses a limited user outside the service's team", async () => {
    const incidentId = await triggerIncident(`Checkout limited ack ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    const pressed = await pressButton("limited", { messageTs: ts, actionId: "incident_acknowledge", value: incidentId });
    const refusal = await ephemeralTo("limited", /You can't acknowledge this incident/);
    expect(refusal.text).toMatch(/acts only on services of your own teams/);
    expect(await processedInbound("slack_interaction", pressed.payload.trigger_id)).toBe("processed");
    expect(await writesTo(incidentId)).toHaveLength(0);
    const rows = await sql<{ status: string }>(`SELECT status FROM incident WHERE pagerduty_incident_id = $1`, [incidentId]);
    expect(rows).toEqual([{ status: "triggered" }]);
  });

  it("lets a restricted user act on their own team's service", async () => {
    const incidentId = await triggerIncident(`Checkout restricted ack ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    await pressButton("restricted", { messageTs: ts, actionId: "incident_acknowledge", value: incidentId });
    const write = await eventually(async () => (await writesTo(incidentId))[0], "the acknowledgement to reach PagerDuty");
    expect(write.status).toBe(200);
    expect(write.headers.from).toBe(person("restricted").email);
    await eventually(async () => ((await messageBlocks(ts)).includes("Acknowledged by Rhea Restricted") ? true : undefined), "the message to show the acknowledgement");
  });
});
