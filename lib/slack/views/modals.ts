import { escapeAndTruncate } from "../mrkdwn";
import { contextBlock, modal, mrkdwnSection, option, plainText, VIEW_LIMITS, type Block, type SelectOption } from "./block-kit";
import { encodeModalMetadata, type ModalMetadata } from "./metadata";

/** callback_id of each modal Switchboard opens; view_submission payloads are routed by it. */
export const CALLBACK_IDS = {
  loading: "sb_loading",
  message: "sb_message",
  addNote: "sb_add_note",
  escalate: "sb_escalate",
  runPlay: "sb_run_play",
  trigger: "sb_trigger",
} as const;

/** block_id and action_id of every input, by modal. Validation errors are keyed by the block_id. */
export const INPUTS = {
  note: { blockId: "note", actionId: "note_text" },
  level: { blockId: "level", actionId: "level_choice" },
  users: { blockId: "users", actionId: "users_choice" },
  policy: { blockId: "policy", actionId: "policy_choice" },
  play: { blockId: "play", actionId: "play_choice" },
  service: { blockId: "service", actionId: "service_choice" },
  title: { blockId: "title", actionId: "title_text" },
  urgency: { blockId: "urgency", actionId: "urgency_choice" },
  description: { blockId: "description", actionId: "description_text" },
} as const;

/** The maximum note length: Slack's plain_text_input accepts at most 3000 characters. */
export const MAX_NOTE_LENGTH = VIEW_LIMITS.textInput;
/** Switchboard's own limit on incident titles typed in Slack, which keeps the incident message readable. */
export const MAX_TITLE_LENGTH = 255;
export const MAX_DESCRIPTION_LENGTH = VIEW_LIMITS.textInput;

export interface IncidentSummary {
  number: number;
  title: string;
}

function incidentLine(incident: IncidentSummary): string {
  return `*#${incident.number}* ${escapeAndTruncate(incident.title, 500)}`;
}

/** Builds the view shown at once when a modal opens, while Switchboard fetches what the modal lists. */
export function loadingModal(title: string): Block {
  return modal({ title, callbackId: CALLBACK_IDS.loading, blocks: [mrkdwnSection(":hourglass_flowing_sand: Loading from PagerDuty…")] });
}

/** Builds a modal that only shows a message: a refusal, or a failure to load what the modal needed. */
export function messageModal(title: string, text: string): Block {
  return modal({ title, callbackId: CALLBACK_IDS.message, blocks: [mrkdwnSection(text)] });
}

export function addNoteModal(input: { incident: IncidentSummary; metadata: ModalMetadata }): Block {
  return modal({
    title: "Add a Note",
    callbackId: CALLBACK_IDS.addNote,
    submit: "Add Note",
    privateMetadata: encodeModalMetadata(input.metadata),
    blocks: [
      mrkdwnSection(incidentLine(input.incident)),
      {
        type: "input",
        block_id: INPUTS.note.blockId,
        label: plainText("Note"),
        element: {
          type: "plain_text_input",
          action_id: INPUTS.note.actionId,
          multiline: true,
          max_length: MAX_NOTE_LENGTH,
          placeholder: plainText("What did you find or do?", 150),
        },
        hint: plainText("The note is added to the incident in PagerDuty in your name."),
      },
    ],
  });
}

export interface EscalationLevel {
  level: number;
  /** Names of the people on call at this level now, or of the rule's targets when none is. */
  onCall: string[];
}

export interface NamedItem {
  id: string;
  name: string;
}

export function escalateModal(input: {
  incident: IncidentSummary;
  policyName: string | null;
  levels: EscalationLevel[];
  users: NamedItem[];
  policies: NamedItem[];
  metadata: ModalMetadata;
}): Block {
  const blocks: Block[] = [
    mrkdwnSection(incidentLine(input.incident)),
    contextBlock(
      input.policyName
        ? `Escalation policy: *${escapeAndTruncate(input.policyName, 300)}*. Choose one: a level of this policy, people to reassign to, or another escalation policy.`
        : "Choose one: people to reassign to, or an escalation policy.",
    ),
  ];

  if (input.levels.length > 0) {
    const options = input.levels.map((level) =>
      option(`Level ${level.level}`, String(level.level), level.onCall.length > 0 ? `On call: ${level.onCall.join(", ")}` : "Nobody on call"),
    );
    blocks.push({
      type: "input",
      block_id: INPUTS.level.blockId,
      optional: true,
      label: plainText("Escalate to level"),
      element:
        options.length <= VIEW_LIMITS.radioOptions
          ? { type: "radio_buttons", action_id: INPUTS.level.actionId, options }
          : { type: "static_select", action_id: INPUTS.level.actionId, placeholder: plainText("Choose a level"), options: options.slice(0, VIEW_LIMITS.selectOptions) },
    });
  }
  if (input.users.length > 0) {
    blocks.push({
      type: "input",
      block_id: INPUTS.users.blockId,
      optional: true,
      label: plainText("Or reassign to people"),
      element: {
        type: "multi_static_select",
        action_id: INPUTS.users.actionId,
        placeholder: plainText("Choose PagerDuty users"),
        options: input.users.slice(0, VIEW_LIMITS.selectOptions).map((user) => option(user.name, user.id)),
      },
    });
  }
  const otherPolicies = input.policies.slice(0, VIEW_LIMITS.selectOptions);
  if (otherPolicies.length > 0) {
    blocks.push({
      type: "input",
      block_id: INPUTS.policy.blockId,
      optional: true,
      label: plainText("Or reassign to an escalation policy"),
      element: {
        type: "static_select",
        action_id: INPUTS.policy.actionId,
        placeholder: plainText("Choose an escalation policy"),
        options: otherPolicies.map((policy) => option(policy.name, policy.id)),
      },
    });
  }
  return modal({ title: "Escalate", callbackId: CALLBACK_IDS.escalate, submit: "Escalate", privateMetadata: encodeModalMetadata(input.metadata), blocks });
}

/** Value prefixes of Run a Play options: incident workflows and response plays share one select. */
export const PLAY_KINDS = { workflow: "workflow", responsePlay: "play" } as const;

export function runPlayModal(input: { incident: IncidentSummary; workflows: NamedItem[]; responsePlays: NamedItem[]; metadata: ModalMetadata }): Block {
  const groups: { label: ReturnType<typeof plainText>; options: SelectOption[] }[] = [];
  // Slack allows 100 options in a select, counted over all of its option groups.
  const workflows = input.workflows.slice(0, VIEW_LIMITS.selectOptions);
  const plays = input.responsePlays.slice(0, VIEW_LIMITS.selectOptions - workflows.length);
  if (workflows.length > 0) {
    groups.push({ label: plainText("Incident workflows", 75), options: workflows.map((workflow) => option(workflow.name, `${PLAY_KINDS.workflow}:${workflow.id}`)) });
  }
  if (plays.length > 0) {
    groups.push({ label: plainText("Response plays", 75), options: plays.map((play) => option(play.name, `${PLAY_KINDS.responsePlay}:${play.id}`)) });
  }
  return modal({
    title: "Run a Play",
    callbackId: CALLBACK_IDS.runPlay,
    submit: "Run",
    privateMetadata: encodeModalMetadata(input.metadata),
    blocks: [
      mrkdwnSection(incidentLine(input.incident)),
      {
        type: "input",
        block_id: INPUTS.play.blockId,
        label: plainText("Incident workflow or response play"),
        element: { type: "static_select", action_id: INPUTS.play.actionId, placeholder: plainText("Choose one to run"), option_groups: groups },
      },
    ],
  });
}

export const URGENCIES = ["high", "low"] as const;

export function triggerModal(input: { services: NamedItem[]; defaultServiceId: string | null; metadata: ModalMetadata }): Block {
  const serviceOptions = input.services.slice(0, VIEW_LIMITS.selectOptions).map((service) => option(service.name, service.id));
  const initial = serviceOptions.find((candidate) => candidate.value === input.defaultServiceId);
  const urgencyOptions = [option("High", "high"), option("Low", "low")];
  return modal({
    title: "Trigger an incident",
    callbackId: CALLBACK_IDS.trigger,
    submit: "Trigger",
    privateMetadata: encodeModalMetadata(input.metadata),
    blocks: [
      {
        type: "input",
        block_id: INPUTS.service.blockId,
        label: plainText("Service"),
        element: {
          type: "static_select",
          action_id: INPUTS.service.actionId,
          placeholder: plainText("Choose a PagerDuty service"),
          options: serviceOptions,
          ...(initial ? { initial_option: initial } : {}),
        },
      },
      {
        type: "input",
        block_id: INPUTS.title.blockId,
        label: plainText("Title"),
        element: { type: "plain_text_input", action_id: INPUTS.title.actionId, max_length: MAX_TITLE_LENGTH, placeholder: plainText("What is wrong?", 150) },
      },
      {
        type: "input",
        block_id: INPUTS.urgency.blockId,
        label: plainText("Urgency"),
        element: { type: "radio_buttons", action_id: INPUTS.urgency.actionId, options: urgencyOptions, initial_option: urgencyOptions[0] },
      },
      {
        type: "input",
        block_id: INPUTS.description.blockId,
        optional: true,
        label: plainText("Description"),
        element: { type: "plain_text_input", action_id: INPUTS.description.actionId, multiline: true, max_length: MAX_DESCRIPTION_LENGTH },
      },
    ],
  });
}
