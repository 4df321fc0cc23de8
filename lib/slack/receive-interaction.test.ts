import pino from "pino";
import { describe, expect, it } from "vitest";
import { useJobQueueDatabase } from "../../tests/support/database";
import { receiveSlackInteraction } from "./receive-interaction";
import { signSlackRequest } from "./verify-signature";
import { CALLBACK_IDS, INPUTS } from "./views/modals";

const secret = "interaction-test-secret";
const log = pino({ level: "silent" });
const database = useJobQueueDatabase();

function noteSubmission(viewId: string, note: string, hash = "1712345678.abcd") {
  return {
    type: "view_submission",
    team: { id: "T0RECV001" },
    user: { id: "U0RECV001" },
    trigger_id: `trigger-${viewId}-${Math.random()}`,
    view: {
      id: viewId,
      hash,
      callback_id: CALLBACK_IDS.addNote,
      private_metadata: JSON.stringify({ incidentId: "PINC1" }),
      state: { values: { [INPUTS.note.blockId]: { [INPUTS.note.actionId]: { type: "plain_text_input", value: note } } } },
    },
  };
}

async function receive(payload: object) {
  const body = Buffer.from(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  const timestamp = String(Math.floor(Date.now() / 1000));
  return receiveSlackInteraction({ rawBody: body, timestampHeader: timestamp, signatureHeader: signSlackRequest(secret, timestamp, body), signingSecret: secret, pool: database.pool, log });
}

async function storedSubmissions(viewId: string) {
  const result = await database.pool.query<{ external_id: string; status: string }>(`SELECT external_id, status::text AS status FROM inbound_event WHERE external_id LIKE $1`, [`view_submission:${viewId}:%`]);
  return result.rows;
}

describe("receiveSlackInteraction: view_submission", () => {
  it("returns input errors for Slack to show beside the field and stores nothing", async () => {
    const result = await receive(noteSubmission("VERR00001", "   "));
    expect(result).toEqual({ status: 200, outcome: "rejected_input", body: { response_action: "errors", errors: { note: "Write the note before you add it." } } });
    expect(await storedSubmissions("VERR00001")).toEqual([]);
  });

  it("stores a valid submission once, whatever its trigger_id", async () => {
    const first = await receive(noteSubmission("VOK000001", "Restarted the pods"));
    const second = await receive(noteSubmission("VOK000001", "Restarted the pods"));
    expect(first).toEqual({ status: 200, outcome: "queued" });
    expect(second).toEqual({ status: 200, outcome: "duplicate" });
    expect(await storedSubmissions("VOK000001")).toEqual([{ external_id: "view_submission:VOK000001:1712345678.abcd", status: "pending" }]);
  });

  it("stores a submission of an unknown modal without processing it", async () => {
    const payload = { ...noteSubmission("VOTHER001", "x"), view: { ...noteSubmission("VOTHER001", "x").view, callback_id: "not_ours" } };
    expect(await receive(payload)).toEqual({ status: 200, outcome: "queued" });
    expect(await storedSubmissions("VOTHER001")).toEqual([{ external_id: "view_submission:VOTHER001:1712345678.abcd", status: "ignored" }]);
  });
});
