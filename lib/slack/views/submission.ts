import { z } from "zod";
import { CALLBACK_IDS, INPUTS, MAX_DESCRIPTION_LENGTH, MAX_NOTE_LENGTH, MAX_TITLE_LENGTH, PLAY_KINDS, URGENCIES } from "./modals";

const stateValueSchema = z
  .object({
    type: z.string(),
    value: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).passthrough().nullish(),
    selected_options: z.array(z.object({ value: z.string() }).passthrough()).nullish(),
  })
  .passthrough();

export type ViewStateValues = Record<string, Record<string, z.infer<typeof stateValueSchema>>>;

/** A view_submission payload: what Switchboard reads of it. */
export const viewSubmissionSchema = z
  .object({
    type: z.literal("view_submission"),
    team: z.object({ id: z.string().min(1) }).passthrough(),
    user: z.object({ id: z.string().min(1), name: z.string().optional() }).passthrough(),
    trigger_id: z.string().optional(),
    view: z
      .object({
        id: z.string().min(1),
        hash: z.string().optional(),
        callback_id: z.string(),
        private_metadata: z.string().optional(),
        state: z.object({ values: z.record(z.string(), z.record(z.string(), stateValueSchema)) }).passthrough(),
      })
      .passthrough(),
  })
  .passthrough();

export type ViewSubmissionPayload = z.infer<typeof viewSubmissionSchema>;

type Input = { blockId: string; actionId: string };

function entry(values: ViewStateValues, input: Input) {
  return values[input.blockId]?.[input.actionId];
}

function text(values: ViewStateValues, input: Input): string {
  return (entry(values, input)?.value ?? "").trim();
}

function selected(values: ViewStateValues, input: Input): string | null {
  return entry(values, input)?.selected_option?.value ?? null;
}

function selectedLabel(values: ViewStateValues, input: Input): string | null {
  const text = (entry(values, input)?.selected_option as { text?: { text?: unknown } } | null | undefined)?.text?.text;
  return typeof text === "string" ? text : null;
}

function selectedMany(values: ViewStateValues, input: Input): string[] {
  return (entry(values, input)?.selected_options ?? []).map((item) => item.value);
}

export type EscalateChoice = { kind: "level"; level: number } | { kind: "users"; userIds: string[] } | { kind: "policy"; policyId: string };

export type SubmissionData =
  | { callbackId: typeof CALLBACK_IDS.addNote; content: string }
  | { callbackId: typeof CALLBACK_IDS.escalate; choice: EscalateChoice }
  | { callbackId: typeof CALLBACK_IDS.runPlay; kind: "workflow" | "response_play"; id: string; name: string | null }
  | { callbackId: typeof CALLBACK_IDS.trigger; serviceId: string; title: string; urgency: (typeof URGENCIES)[number]; description: string };

export type SubmissionCheck =
  | { ok: true; data: SubmissionData }
  /** Errors by input block_id, as Slack's `response_action: errors` expects them. */
  | { ok: false; errors: Record<string, string> }
  /** A callback_id that Switchboard did not open. */
  | { ok: false; errors: null };

/**
 * Reads and checks a modal's submitted values without any I/O, so that problems go back to Slack in
 * the HTTP response and appear beside the field.
 */
export function checkViewSubmission(callbackId: string, values: ViewStateValues): SubmissionCheck {
  switch (callbackId) {
    case CALLBACK_IDS.addNote: {
      const content = text(values, INPUTS.note);
      if (!content) return { ok: false, errors: { [INPUTS.note.blockId]: "Write the note before you add it." } };
      if (content.length > MAX_NOTE_LENGTH) return { ok: false, errors: { [INPUTS.note.blockId]: `Shorten the note to ${MAX_NOTE_LENGTH} characters or fewer.` } };
      return { ok: true, data: { callbackId, content } };
    }
    case CALLBACK_IDS.escalate:
      return checkEscalate(values);
    case CALLBACK_IDS.runPlay: {
      const value = selected(values, INPUTS.play) ?? "";
      const [kind, id] = splitOnce(value);
      if (!id || (kind !== PLAY_KINDS.workflow && kind !== PLAY_KINDS.responsePlay)) {
        return { ok: false, errors: { [INPUTS.play.blockId]: "Choose an incident workflow or a response play to run." } };
      }
      return { ok: true, data: { callbackId, kind: kind === PLAY_KINDS.workflow ? "workflow" : "response_play", id, name: selectedLabel(values, INPUTS.play) } };
    }
    case CALLBACK_IDS.trigger:
      return checkTrigger(values);
    default:
      return { ok: false, errors: null };
  }
}

function checkEscalate(values: ViewStateValues): SubmissionCheck {
  const levelValue = selected(values, INPUTS.level);
  const userIds = selectedMany(values, INPUTS.users);
  const policyId = selected(values, INPUTS.policy);
  const chosen = [levelValue !== null, userIds.length > 0, policyId !== null].filter(Boolean).length;
  if (chosen === 0) {
    return { ok: false, errors: { [INPUTS.level.blockId]: "Choose a level, people, or an escalation policy." } };
  }
  if (chosen > 1) {
    const message = "Choose only one: a level, people, or an escalation policy.";
    const errors: Record<string, string> = {};
    if (userIds.length > 0) errors[INPUTS.users.blockId] = message;
    if (policyId !== null) errors[INPUTS.policy.blockId] = message;
    return { ok: false, errors };
  }
  if (levelValue !== null) {
    const level = Number(levelValue);
    if (!Number.isInteger(level) || level < 1) return { ok: false, errors: { [INPUTS.level.blockId]: "Choose one of the listed levels." } };
    return { ok: true, data: { callbackId: CALLBACK_IDS.escalate, choice: { kind: "level", level } } };
  }
  if (userIds.length > 0) return { ok: true, data: { callbackId: CALLBACK_IDS.escalate, choice: { kind: "users", userIds } } };
  return { ok: true, data: { callbackId: CALLBACK_IDS.escalate, choice: { kind: "policy", policyId: policyId! } } };
}

function checkTrigger(values: ViewStateValues): SubmissionCheck {
  const errors: Record<string, string> = {};
  const serviceId = selected(values, INPUTS.service);
  const title = text(values, INPUTS.title);
  const urgency = selected(values, INPUTS.urgency) ?? "high";
  const description = text(values, INPUTS.description);
  if (!serviceId) errors[INPUTS.service.blockId] = "Choose the service the incident is for.";
  if (!title) errors[INPUTS.title.blockId] = "Give the incident a title.";
  else if (title.length > MAX_TITLE_LENGTH) errors[INPUTS.title.blockId] = `Shorten the title to ${MAX_TITLE_LENGTH} characters or fewer.`;
  if (!(URGENCIES as readonly string[]).includes(urgency)) errors[INPUTS.urgency.blockId] = "Choose High or Low.";
  if (description.length > MAX_DESCRIPTION_LENGTH) errors[INPUTS.description.blockId] = `Shorten the description to ${MAX_DESCRIPTION_LENGTH} characters or fewer.`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    data: { callbackId: CALLBACK_IDS.trigger, serviceId: serviceId!, title, urgency: urgency as (typeof URGENCIES)[number], description },
  };
}

function splitOnce(value: string): [string, string] {
  const index = value.indexOf(":");
  return index < 0 ? [value, ""] : [value.slice(0, index), value.slice(index + 1)];
}
