import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BOT_TOKEN, interactionPayload, silentSlackLogger, startTestFake, type TestFake } from "../test-support";

let sandbox: TestFake;
let slack: WebClient;
/** Added to the fake's clock, so a test can let a trigger_id expire without waiting. */
let clockOffsetMs = 0;

const INCIDENTS = "C0INCIDENT";
const ROSA = "U0ROSA0001";

const noteView = {
  type: "modal",
  callback_id: "add_note",
  private_metadata: "Q42",
  title: { type: "plain_text", text: "Add a note" },
  submit: { type: "plain_text", text: "Save" },
  notify_on_close: true,
  blocks: [
    { type: "input", block_id: "note", label: { type: "plain_text", text: "Note" }, element: { type: "plain_text_input", action_id: "text" } },
    {
      type: "input",
      block_id: "level",
      optional: true,
      label: { type: "plain_text", text: "Level" },
      element: {
        type: "static_select",
        action_id: "choice",
        options: [
          { text: { type: "plain_text", text: "One" }, value: "1" },
          { text: { type: "plain_text", text: "Two" }, value: "2" },
        ],
      },
    },
  ],
};

async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { error?: string } }).data;
    if (data?.error) return data.error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** Presses a button as Rosa and returns the trigger_id Slack sent with it. */
async function freshTrigger(): Promise<string> {
  const posted = await slack.chat.postMessage({
    channel: INCIDENTS,
    text: "note",
    blocks: [{ type: "actions", elements: [{ type: "button", action_id: "add_note", text: { type: "plain_text", text: "Add note" } }] }],
  });
  const before = sandbox.app.requests.length;
  await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: posted.ts, actionId: "add_note" });
  return String(interactionPayload(sandbox.app.requests[before]!).trigger_id);
}

async function openViews(): Promise<Array<{ view: { id: string; hash: string }; errors: Record<string, string> }>> {
  return (await sandbox.control(`/views?userId=${ROSA}`)).json.views as Array<{ view: { id: string; hash: string }; errors: Record<string, string> }>;
}

beforeAll(async () => {
  sandbox = await startTestFake({ now: () => Date.now() + clockOffsetMs });
  slack = new WebClient(BOT_TOKEN, { slackApiUrl: sandbox.fake.apiUrl, retryConfig: { retries: 0 }, logger: silentSlackLogger });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  clockOffsetMs = 0;
  await sandbox.control("/reset", {});
  sandbox.app.reset();
});

describe("views.open", () => {
  it("opens a modal for the user behind the trigger", async () => {
    const result = await slack.views.open({ trigger_id: await freshTrigger(), view: noteView as never });
    expect(result.view).toMatchObject({
      id: expect.stringMatching(/^V[A-Z0-9]+$/),
      team_id: "T0SANDBOX1",
      type: "modal",
      callback_id: "add_note",
      private_metadata: "Q42",
      state: { values: {} },
      hash: expect.stringMatching(/^\d+\.[a-f0-9]+$/),
      app_id: "A0SWITCHBD",
      bot_id: "B0SWITCHBD",
      previous_view_id: null,
    });
    expect(result.view?.root_view_id).toBe(result.view?.id);
    expect((await openViews()).map((open) => open.view.id)).toEqual([result.view?.id]);
  });

  it("rejects a trigger older than 3 seconds", async () => {
    const triggerId = await freshTrigger();
    clockOffsetMs = 3001;
    expect(await slackError(slack.views.open({ trigger_id: triggerId, view: noteView as never }))).toBe("expired_trigger_id");
  });

  it("rejects a title over 24 characters", async () => {
    const view = { ...noteView, title: { type: "plain_text", text: "t".repeat(25) } };
    expect(await slackError(slack.views.open({ trigger_id: await freshTrigger(), view: view as never }))).toBe("invalid_arguments");
  });

  it("rejects a repeated external_id", async () => {
    const view = { ...noteView, external_id: "note-Q42" };
    await slack.views.open({ trigger_id: await freshTrigger(), view: view as never });
    expect(await slackError(slack.views.open({ trigger_id: await freshTrigger(), view: view as never }))).toBe("duplicate_external_id");
  });
});

describe("views.push and views.update", () => {
  it("stacks at most three views", async () => {
    const root = await slack.views.open({ trigger_id: await freshTrigger(), view: noteView as never });
    const second = await slack.views.push({ trigger_id: await freshTrigger(), view: noteView as never });
    expect(second.view?.previous_view_id).toBe(root.view?.id);
    expect(second.view?.root_view_id).toBe(root.view?.id);
    await slack.views.push({ trigger_id: await freshTrigger(), view: noteView as never });
    expect(await slackError(slack.views.push({ trigger_id: await freshTrigger(), view: noteView as never }))).toBe("push_limit_reached");
  });

  it("updates by view_id and checks the hash", async () => {
    const opened = await slack.views.open({ trigger_id: await freshTrigger(), view: noteView as never });
    const id = String(opened.view?.id);
    const changed = { ...noteView, title: { type: "plain_text", text: "Edit note" } };
    const updated = await slack.views.update({ view_id: id, hash: String(opened.view?.hash), view: changed as never });
    expect((updated.view?.title as { text: string }).text).toBe("Edit note");
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    expect(await slackError(slack.views.update({ view_id: id, hash: String(opened.view?.hash), view: changed as never }))).toBe("hash_conflict");
    expect(await slackError(slack.views.update({ view_id: "VNOPE00000", view: changed as never }))).toBe("not_found");
  });

  it("updates by external_id", async () => {
    await slack.views.open({ trigger_id: await freshTrigger(), view: { ...noteView, external_id: "ext-1" } as never });
    const updated = await slack.views.update({ external_id: "ext-1", view: { ...noteView, private_metadata: "changed" } as never });
    expect(updated.view?.private_metadata).toBe("changed");
  });
});

describe("view submissions", () => {
  async function openNoteView(): Promise<string> {
    const opened = await slack.views.open({ trigger_id: await freshTrigger(), view: noteView as never });
    sandbox.app.reset();
    return String(opened.view?.id);
  }

  it("sends view_submission with the values and closes on an empty answer", async () => {
    const viewId = await openNoteView();
    const result = await sandbox.control("/views/submit", {
      userId: ROSA,
      viewId,
      values: { note: { text: { value: "Rolled back" } }, level: { choice: { value: "2" } } },
    });
    expect(result.json.status).toBe(200);
    const payload = interactionPayload(sandbox.app.requests[0]!);
    expect(payload).toMatchObject({
      type: "view_submission",
      team: { id: "T0SANDBOX1" },
      user: { id: ROSA },
      view: {
        id: viewId,
        callback_id: "add_note",
        private_metadata: "Q42",
        state: {
          values: {
            note: { text: { type: "plain_text_input", value: "Rolled back" } },
            level: { choice: { type: "static_select", selected_option: { text: { type: "plain_text", text: "Two" }, value: "2" } } },
          },
        },
      },
    });
    expect(await openViews()).toEqual([]);
  });

  it("keeps the view open and shows errors from response_action", async () => {
    const viewId = await openNoteView();
    sandbox.app.respond = () => ({ status: 200, body: JSON.stringify({ response_action: "errors", errors: { note: "Too short" } }) });
    await sandbox.control("/views/submit", { userId: ROSA, viewId, values: { note: { text: { value: "x" } } } });
    const views = await openViews();
    expect(views).toHaveLength(1);
    expect(views[0]?.errors).toEqual({ note: "Too short" });
  });

  it("does not send a submission with an empty required input", async () => {
    const viewId = await openNoteView();
    const result = await sandbox.control("/views/submit", { userId: ROSA, viewId, values: { note: { text: { value: "" } } } });
    expect(result.json.localErrors).toEqual({ note: "Please complete this required field." });
    expect(sandbox.app.requests).toHaveLength(0);
  });

  it("pushes and clears views on request", async () => {
    const viewId = await openNoteView();
    sandbox.app.respond = () => ({ status: 200, body: JSON.stringify({ response_action: "push", view: noteView }) });
    await sandbox.control("/views/submit", { userId: ROSA, viewId, values: { note: { text: { value: "a" } } } });
    const stacked = await openViews();
    expect(stacked).toHaveLength(2);

    sandbox.app.respond = () => ({ status: 200, body: JSON.stringify({ response_action: "clear" }) });
    await sandbox.control("/views/submit", { userId: ROSA, viewId: stacked[1]?.view.id, values: { note: { text: { value: "b" } } } });
    expect(await openViews()).toEqual([]);
  });

  it("sends view_closed when the view asked for it", async () => {
    const viewId = await openNoteView();
    await sandbox.control("/views/close", { userId: ROSA, viewId });
    const payload = interactionPayload(sandbox.app.requests[0]!);
    expect(payload).toMatchObject({ type: "view_closed", is_cleared: false, view: { id: viewId } });
  });
});
