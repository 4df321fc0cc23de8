import { describe, expect, it } from "vitest";
import { CALLBACK_IDS, INPUTS, MAX_NOTE_LENGTH, MAX_TITLE_LENGTH } from "./modals";
import { checkViewSubmission, type ViewStateValues } from "./submission";

function textValue(input: { blockId: string; actionId: string }, value: string | null): ViewStateValues {
  return { [input.blockId]: { [input.actionId]: { type: "plain_text_input", value } } };
}

function selectValue(input: { blockId: string; actionId: string }, value: string | null, text = value ?? ""): ViewStateValues {
  return { [input.blockId]: { [input.actionId]: { type: "static_select", selected_option: value === null ? null : { value, text: { type: "plain_text", text } } } } };
}

function multiValue(input: { blockId: string; actionId: string }, values: string[]): ViewStateValues {
  return { [input.blockId]: { [input.actionId]: { type: "multi_static_select", selected_options: values.map((value) => ({ value })) } } };
}

describe("checkViewSubmission: Add a Note", () => {
  it("accepts a note and trims it", () => {
    expect(checkViewSubmission(CALLBACK_IDS.addNote, textValue(INPUTS.note, "  Rolled back the deploy \n"))).toEqual({
      ok: true,
      data: { callbackId: CALLBACK_IDS.addNote, content: "Rolled back the deploy" },
    });
  });

  it("rejects an empty note beside the field", () => {
    const check = checkViewSubmission(CALLBACK_IDS.addNote, textValue(INPUTS.note, "   "));
    expect(check).toEqual({ ok: false, errors: { note: "Write the note before you add it." } });
  });

  it("rejects a note over the limit", () => {
    const check = checkViewSubmission(CALLBACK_IDS.addNote, textValue(INPUTS.note, "x".repeat(MAX_NOTE_LENGTH + 1)));
    expect(check.ok).toBe(false);
    const errors = check.ok ? null : check.errors;
    expect(errors?.note).toMatch(/3000 characters/);
  });
});

describe("checkViewSubmission: Escalate", () => {
  it("needs one choice", () => {
    expect(checkViewSubmission(CALLBACK_IDS.escalate, {})).toEqual({ ok: false, errors: { level: "Choose a level, people, or an escalation policy." } });
  });

  it("rejects two choices at once", () => {
    const values = { ...selectValue(INPUTS.level, "2"), ...multiValue(INPUTS.users, ["P0ROSA1"]) };
    const check = checkViewSubmission(CALLBACK_IDS.escalate, values);
    expect(check).toEqual({ ok: false, errors: { users: "Choose only one: a level, people, or an escalation policy." } });
  });

  it("reads a level, people or a policy", () => {
    expect(checkViewSubmission(CALLBACK_IDS.escalate, selectValue(INPUTS.level, "2"))).toEqual({ ok: true, data: { callbackId: CALLBACK_IDS.escalate, choice: { kind: "level", level: 2 } } });
    expect(checkViewSubmission(CALLBACK_IDS.escalate, multiValue(INPUTS.users, ["P0ROSA1", "P0ADAM1"]))).toEqual({
      ok: true,
      data: { callbackId: CALLBACK_IDS.escalate, choice: { kind: "users", userIds: ["P0ROSA1", "P0ADAM1"] } },
    });
    expect(checkViewSubmission(CALLBACK_IDS.escalate, selectValue(INPUTS.policy, "P0EPPLT"))).toEqual({
      ok: true,
      data: { callbackId: CALLBACK_IDS.escalate, choice: { kind: "policy", policyId: "P0EPPLT" } },
    });
  });

  it("rejects a level that is not a positive whole number", () => {
    expect(checkViewSubmission(CALLBACK_IDS.escalate, selectValue(INPUTS.level, "0")).ok).toBe(false);
  });
});

describe("checkViewSubmission: Run a Play", () => {
  it("reads a workflow with its name", () => {
    expect(checkViewSubmission(CALLBACK_IDS.runPlay, selectValue(INPUTS.play, "workflow:PWF1", "Major incident"))).toEqual({
      ok: true,
      data: { callbackId: CALLBACK_IDS.runPlay, kind: "workflow", id: "PWF1", name: "Major incident" },
    });
  });

  it("rejects a value of another kind", () => {
    expect(checkViewSubmission(CALLBACK_IDS.runPlay, selectValue(INPUTS.play, "script:rm"))).toEqual({
      ok: false,
      errors: { play: "Choose an incident workflow or a response play to run." },
    });
  });
});

describe("checkViewSubmission: Trigger", () => {
  const valid = { ...selectValue(INPUTS.service, "P0SVCCHK"), ...textValue(INPUTS.title, "Checkout down"), ...selectValue(INPUTS.urgency, "low"), ...textValue(INPUTS.description, "") };

  it("reads every field", () => {
    expect(checkViewSubmission(CALLBACK_IDS.trigger, valid)).toEqual({
      ok: true,
      data: { callbackId: CALLBACK_IDS.trigger, serviceId: "P0SVCCHK", title: "Checkout down", urgency: "low", description: "" },
    });
  });

  it("names each missing or invalid field", () => {
    const check = checkViewSubmission(CALLBACK_IDS.trigger, {
      ...selectValue(INPUTS.service, null),
      ...textValue(INPUTS.title, "t".repeat(MAX_TITLE_LENGTH + 1)),
      ...selectValue(INPUTS.urgency, "urgent"),
    });
    expect(check.ok).toBe(false);
    const errors = !check.ok ? (check.errors ?? {}) : {};
    expect(errors.service).toBe("Choose the service the incident is for.");
    expect(errors.title).toMatch(/255 characters/);
    expect(errors.urgency).toBe("Choose High or Low.");
  });
});

describe("checkViewSubmission: other modals", () => {
  it("does not handle an unknown callback_id", () => {
    expect(checkViewSubmission("someone_elses_modal", {})).toEqual({ ok: false, errors: null });
  });
});
