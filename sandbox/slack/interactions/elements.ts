import type { JsonObject } from "../state";

/**
 * A user's choice on an element: `value` for single choices (option value, user id, channel id,
 * date, text) and `values` for multi-selects and checkboxes.
 */
export interface Selection {
  value?: string;
  values?: string[];
}

export interface FoundElement {
  element: JsonObject;
  blockId: string;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Lists every element of a block list with the id of its block: accessories, actions and inputs. */
export function elementsOf(blocks: unknown): FoundElement[] {
  if (!Array.isArray(blocks)) return [];
  const found: FoundElement[] = [];
  for (const block of blocks) {
    if (!isObject(block)) continue;
    const blockId = typeof block.block_id === "string" ? block.block_id : "";
    if (isObject(block.accessory)) found.push({ element: block.accessory, blockId });
    if (isObject(block.element)) found.push({ element: block.element, blockId });
    if (block.type === "actions" && Array.isArray(block.elements)) {
      for (const element of block.elements) if (isObject(element)) found.push({ element, blockId });
    }
  }
  return found;
}

/**
 * Finds an element by action_id, narrowed by block_id and, for buttons sharing an action_id, by the
 * button's value.
 */
export function findElement(blocks: unknown, actionId: string, blockId?: string, buttonValue?: string): FoundElement | undefined {
  const candidates = elementsOf(blocks).filter(
    (candidate) => candidate.element.action_id === actionId && (!blockId || candidate.blockId === blockId),
  );
  if (buttonValue === undefined) return candidates[0];
  return candidates.find((candidate) => candidate.element.type !== "button" || candidate.element.value === buttonValue);
}

function optionsOf(element: JsonObject): JsonObject[] {
  const direct = Array.isArray(element.options) ? element.options.filter(isObject) : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.filter(isObject).flatMap((group) => (Array.isArray(group.options) ? group.options.filter(isObject) : []))
    : [];
  return [...direct, ...grouped];
}

/** Returns the option object Slack sends back for a chosen value: its text and value (and description). */
function selectedOption(element: JsonObject, value: string | undefined): JsonObject | null {
  if (value === undefined) return null;
  const option = optionsOf(element).find((candidate) => candidate.value === value);
  if (!option) return null;
  return { text: option.text, value: option.value, ...(option.description ? { description: option.description } : {}) };
}

/** Returns the value part of an element's state, keyed as Slack keys it for that element type. */
function selectionFields(element: JsonObject, selection: Selection | undefined): JsonObject {
  const value = selection?.value;
  const values = selection?.values ?? [];
  switch (element.type) {
    case "static_select":
    case "external_select":
    case "radio_buttons":
      return { selected_option: selectedOption(element, value) };
    case "multi_static_select":
    case "multi_external_select":
    case "checkboxes":
      return { selected_options: values.map((item) => selectedOption(element, item)).filter((item) => item !== null) };
    case "users_select":
      return { selected_user: value ?? null };
    case "multi_users_select":
      return { selected_users: values };
    case "conversations_select":
      return { selected_conversation: value ?? null };
    case "multi_conversations_select":
      return { selected_conversations: values };
    case "channels_select":
      return { selected_channel: value ?? null };
    case "multi_channels_select":
      return { selected_channels: values };
    case "datepicker":
      return { selected_date: value ?? null };
    case "timepicker":
      return { selected_time: value ?? null };
    case "datetimepicker":
      return { selected_date_time: value === undefined ? null : Number(value) };
    case "number_input":
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
      return { value: value ?? null };
    default:
      return value === undefined ? {} : { value };
  }
}

/** Returns the selection an element starts with, from its initial_* fields. */
export function initialSelection(element: JsonObject): Selection | undefined {
  const option = isObject(element.initial_option) ? element.initial_option : undefined;
  if (option && typeof option.value === "string") return { value: option.value };
  if (Array.isArray(element.initial_options)) {
    return { values: element.initial_options.filter(isObject).map((item) => String(item.value)) };
  }
  for (const key of ["initial_user", "initial_conversation", "initial_channel", "initial_date", "initial_time", "initial_value"]) {
    if (typeof element[key] === "string") return { value: element[key] as string };
  }
  if (typeof element.initial_date_time === "number") return { value: String(element.initial_date_time) };
  for (const key of ["initial_users", "initial_conversations", "initial_channels"]) {
    if (Array.isArray(element[key])) return { values: (element[key] as unknown[]).map(String) };
  }
  return undefined;
}

const STATELESS = new Set(["button", "overflow", "workflow_button", "image"]);

/** `state.values` of a block list: for every stateful element, its current selection. */
export function stateValues(blocks: unknown, selections: Map<string, Selection>): Record<string, Record<string, JsonObject>> {
  const values: Record<string, Record<string, JsonObject>> = {};
  for (const { element, blockId } of elementsOf(blocks)) {
    if (typeof element.type !== "string" || STATELESS.has(element.type) || typeof element.action_id !== "string") continue;
    const key = selectionKey(blockId, element.action_id);
    const selection = selections.has(key) ? selections.get(key) : initialSelection(element);
    values[blockId] ??= {};
    values[blockId][element.action_id] = { type: element.type, ...selectionFields(element, selection) };
  }
  return values;
}

export function selectionKey(blockId: string, actionId: string): string {
  return `${blockId}\u0000${actionId}`;
}

/** Builds one entry of a block_actions payload's `actions`, shaped for the element type. */
export function actionObject(found: FoundElement, selection: Selection | undefined, actionTs: string): JsonObject {
  const { element, blockId } = found;
  const action: JsonObject = { action_id: element.action_id, block_id: blockId, type: element.type };
  if (element.type === "button") {
    action.text = element.text;
    if (element.value !== undefined) action.value = element.value;
    if (element.style !== undefined) action.style = element.style;
    if (element.url !== undefined) action.url = element.url;
  } else if (element.type === "overflow") {
    action.selected_option = selectedOption(element, selection?.value);
  } else {
    Object.assign(action, selectionFields(element, selection));
    if (element.placeholder !== undefined) action.placeholder = element.placeholder;
  }
  action.action_ts = actionTs;
  return action;
}

/** Checks that `selection` names something the element offers (an option value for option elements). */
export function isValidSelection(element: JsonObject, selection: Selection | undefined): boolean {
  const optionTypes = new Set(["overflow", "static_select", "radio_buttons", "multi_static_select", "checkboxes"]);
  if (element.type === "button") return true;
  if (!optionTypes.has(String(element.type))) return true;
  const offered = new Set(optionsOf(element).map((option) => String(option.value)));
  if (selection?.value !== undefined) return offered.has(selection.value);
  return (selection?.values ?? []).every((value) => offered.has(value));
}
