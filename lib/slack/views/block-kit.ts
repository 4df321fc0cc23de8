import { truncatePlain } from "../mrkdwn";

/** Block Kit limits of modals and their elements, from Slack's Block Kit reference. */
export const VIEW_LIMITS = {
  /** Modal title, submit and close texts. */
  modalText: 24,
  privateMetadata: 3000,
  blocks: 100,
  optionText: 75,
  optionValue: 150,
  /** static_select and multi_static_select options. */
  selectOptions: 100,
  /** radio_buttons and checkboxes options. */
  radioOptions: 10,
  inputLabel: 2000,
  /** max_length of a plain_text_input. */
  textInput: 3000,
} as const;

export type Block = Record<string, unknown>;

export interface PlainText {
  type: "plain_text";
  text: string;
  emoji: true;
}

export function plainText(text: string, maxLength: number = VIEW_LIMITS.inputLabel): PlainText {
  return { type: "plain_text", text: truncatePlain(text, maxLength), emoji: true };
}

export function mrkdwnSection(text: string, blockId?: string): Block {
  return { type: "section", ...(blockId ? { block_id: blockId } : {}), text: { type: "mrkdwn", text } };
}

export function contextBlock(text: string): Block {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}

export interface SelectOption {
  text: PlainText;
  value: string;
  description?: PlainText;
}

export function option(text: string, value: string, description?: string): SelectOption {
  return {
    text: plainText(text, VIEW_LIMITS.optionText),
    value: value.slice(0, VIEW_LIMITS.optionValue),
    ...(description ? { description: plainText(description, VIEW_LIMITS.optionText) } : {}),
  };
}

/** A modal view object for views.open and views.update. */
export function modal(input: {
  title: string;
  callbackId: string;
  blocks: Block[];
  submit?: string;
  close?: string;
  privateMetadata?: string;
}): Block {
  return {
    type: "modal",
    callback_id: input.callbackId,
    title: plainText(input.title, VIEW_LIMITS.modalText),
    ...(input.submit ? { submit: plainText(input.submit, VIEW_LIMITS.modalText) } : {}),
    close: plainText(input.close ?? (input.submit ? "Cancel" : "Close"), VIEW_LIMITS.modalText),
    blocks: input.blocks.slice(0, VIEW_LIMITS.blocks),
    ...(input.privateMetadata ? { private_metadata: input.privateMetadata } : {}),
  };
}
