import { createHash } from "node:crypto";
import type { Pool } from "pg";
import type { Logger } from "pino";
import { storeInboundEvent } from "../inbox/store";
import { TASKS } from "../queue/jobs";
import { interactionEnvelopeSchema } from "./interaction-payload";
import { checkViewSubmission, viewSubmissionSchema } from "./views/submission";
import { rejectUnverifiedSlackRequest } from "./verify-request";

export type InteractionResult =
  | { status: 200; outcome: "queued" | "duplicate" }
  /** A modal submission with invalid input: the body goes back to Slack, which shows the errors beside the fields. */
  | { status: 200; outcome: "rejected_input"; body: { response_action: "errors"; errors: Record<string, string> } }
  | { status: 400 | 401; code: string; message: string };

/** Interaction types that have a handler; others are acknowledged and stored as ignored. */
const HANDLED_TYPES = new Set(["block_actions", "view_submission"]);

/**
 * Verifies and stores one Slack interaction (form field `payload`), queueing its processing. The
 * response goes back to Slack at once, well within Slack's 3 seconds, and the work runs in the job queue.
 * A modal submission's input is checked here first, without I/O, so that its errors can be returned.
 */
export async function receiveSlackInteraction(input: {
  rawBody: Buffer;
  timestampHeader: string | null;
  signatureHeader: string | null;
  signingSecret: string | undefined;
  pool: Pool;
  log: Logger;
  nowSeconds?: number;
}): Promise<InteractionResult> {
  const { log } = input;
  const rejection = rejectUnverifiedSlackRequest(
    {
      signingSecret: input.signingSecret,
      rawBody: input.rawBody,
      timestampHeader: input.timestampHeader,
      signatureHeader: input.signatureHeader,
      nowSeconds: input.nowSeconds,
    },
    log,
    "interaction",
  );
  if (rejection) return rejection;

  const text = input.rawBody.toString("utf8");
  const payloadText = new URLSearchParams(text).get("payload");
  if (!payloadText) return { status: 400, code: "missing_payload", message: "The form body has no `payload` field." };
  let json: unknown;
  try {
    json = JSON.parse(payloadText);
  } catch {
    return { status: 400, code: "invalid_payload", message: "The `payload` field is not valid JSON." };
  }
  const parsed = interactionEnvelopeSchema.safeParse(json);
  if (!parsed.success) return { status: 400, code: "invalid_payload", message: "The `payload` has no interaction `type`." };

  const payload = parsed.data;
  // Slack does not retry interactions, but a trigger_id is unique per user action, so it keys the inbox.
  let externalId = payload.trigger_id ?? createHash("sha256").update(text).digest("hex");
  let handled = HANDLED_TYPES.has(payload.type);
  if (payload.type === "view_submission") {
    const submission = viewSubmissionSchema.safeParse(json);
    if (!submission.success) return { status: 400, code: "invalid_payload", message: "The view_submission payload has no view with an id, callback_id and state." };
    const check = checkViewSubmission(submission.data.view.callback_id, submission.data.view.state.values);
    if (!check.ok && check.errors) return { status: 200, outcome: "rejected_input", body: { response_action: "errors", errors: check.errors } };
    // A modal Switchboard did not open (no known callback_id) is stored but not processed.
    handled = check.ok;
    // A valid submission closes the modal, so the same view and hash arriving again is a repeat of it
    // (a double click or a resent request) and is stored once.
    const view = submission.data.view;
    externalId = `view_submission:${view.id}:${view.hash ?? ""}`;
  }
  const { stored } = await storeInboundEvent(input.pool, {
    source: "slack_interaction",
    externalId,
    eventType: payload.type,
    rawBody: text,
    job: handled ? { task: TASKS.processSlackInteraction, maxAttempts: 3 } : undefined,
  });
  return { status: 200, outcome: stored ? "queued" : "duplicate" };
}
