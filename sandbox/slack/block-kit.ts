/**
 * Block Kit checks that Slack applies before it accepts blocks. Each problem is reported the way
 * Slack words it in `invalid_blocks` replies: "<message> [json-pointer:/blocks/0/text/text]".
 * Limits are those of Slack's Block Kit reference (blocks, block elements, composition objects).
 */

type Json = Record<string, unknown>;

export const BLOCK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  blockId: 255,
  actionId: 255,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  optionText: 75,
  overflowOptionValue: 150,
  selectOptionValue: 150,
  overflowOptionsMin: 2,
  overflowOptionsMax: 5,
  selectOptions: 100,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  imageAltText: 2000,
} as const;

const MESSAGE_BLOCK_TYPES = new Set(["section", "header", "divider", "context", "actions", "image", "rich_text", "markdown", "input", "file", "video"]);
const MODAL_BLOCK_TYPES = new Set(["section", "header", "divider", "context", "actions", "image", "rich_text", "input", "video", "markdown"]);

const INTERACTIVE_ELEMENTS = new Set([
  "button",
  "overflow",
  "static_select",
  "external_select",
  "users_select",
  "conversations_select",
  "channels_select",
  "multi_static_select",
  "multi_external_select",
  "multi_users_select",
  "multi_conversations_select",
  "multi_channels_select",
  "datepicker",
  "timepicker",
  "datetimepicker",
  "checkboxes",
  "radio_buttons",
]);

const INPUT_ELEMENTS = new Set([
  ...INTERACTIVE_ELEMENTS,
  "plain_text_input",
  "email_text_input",
  "url_text_input",
  "number_input",
  "rich_text_input",
  "file_input",
]);

class Problems {
  readonly list: string[] = [];

  add(message: string, pointer: string): void {
    this.list.push(`${message} [json-pointer:${pointer}]`);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Slack counts length in UTF-16 code units, as JavaScript does. */
function checkMaxLength(problems: Problems, value: unknown, max: number, pointer: string): void {
  if (typeof value === "string" && value.length > max) problems.add(`must be less than ${max + 1} characters`, pointer);
}

function checkTextObject(
  problems: Problems,
  value: unknown,
  pointer: string,
  options: { max: number; plainOnly?: boolean; required?: boolean },
): void {
  if (value === undefined) {
    if (options.required !== false) problems.add("must provide an object", pointer);
    return;
  }
  if (!isObject(value)) {
    problems.add("must provide an object", pointer);
    return;
  }
  const allowed = options.plainOnly ? ["plain_text"] : ["plain_text", "mrkdwn"];
  if (typeof value.type !== "string" || !allowed.includes(value.type)) {
    problems.add(`must be one of ${allowed.join(", ")}`, `${pointer}/type`);
  }
  if (typeof value.text !== "string") {
    problems.add("must provide a string", `${pointer}/text`);
    return;
  }
  if (value.text.length === 0) problems.add("must be more than 0 characters", `${pointer}/text`);
  checkMaxLength(problems, value.text, options.max, `${pointer}/text`);
}

function checkOptions(problems: Problems, options: unknown, pointer: string, min: number, max: number, valueMax: number): void {
  if (!Array.isArray(options)) {
    problems.add("must provide an array", pointer);
    return;
  }
  if (options.length < min) problems.add(`must provide at least ${min} items`, pointer);
  if (options.length > max) problems.add(`no more than ${max} items allowed`, pointer);
  options.forEach((option, index) => {
    const optionPointer = `${pointer}/${index}`;
    if (!isObject(option)) {
      problems.add("must provide an object", optionPointer);
      return;
    }
    checkTextObject(problems, option.text, `${optionPointer}/text`, { max: BLOCK_LIMITS.optionText });
    if (typeof option.value !== "string") problems.add("must provide a string", `${optionPointer}/value`);
    else checkMaxLength(problems, option.value, valueMax, `${optionPointer}/value`);
  });
}

/** Checks one interactive or input element; `actionIds` collects ids to find duplicates in a block. */
function checkElement(problems: Problems, element: unknown, pointer: string, allowed: Set<string>, actionIds: Set<string>): void {
  if (!isObject(element)) {
    problems.add("must provide an object", pointer);
    return;
  }
  const type = element.type;
  if (typeof type !== "string" || !allowed.has(type)) {
    problems.add(`unsupported type: ${String(type)}`, `${pointer}/type`);
    return;
  }
  if (element.action_id !== undefined) {
    if (typeof element.action_id !== "string") problems.add("must provide a string", `${pointer}/action_id`);
    else {
      checkMaxLength(problems, element.action_id, BLOCK_LIMITS.actionId, `${pointer}/action_id`);
      // NOTE: the wording of this message is a best guess; Slack does reject repeated action_ids in a block.
      if (actionIds.has(element.action_id)) problems.add("duplicate action_id", `${pointer}/action_id`);
      actionIds.add(element.action_id);
    }
  }
  if (element.placeholder !== undefined) {
    checkTextObject(problems, element.placeholder, `${pointer}/placeholder`, { max: BLOCK_LIMITS.placeholder, plainOnly: true });
  }

  switch (type) {
    case "button":
      checkTextObject(problems, element.text, `${pointer}/text`, { max: BLOCK_LIMITS.buttonText, plainOnly: true });
      checkMaxLength(problems, element.value, BLOCK_LIMITS.buttonValue, `${pointer}/value`);
      checkMaxLength(problems, element.url, BLOCK_LIMITS.buttonUrl, `${pointer}/url`);
      if (element.style !== undefined && element.style !== "primary" && element.style !== "danger") {
        problems.add("must be one of primary, danger", `${pointer}/style`);
      }
      break;
    case "overflow":
      checkOptions(
        problems,
        element.options,
        `${pointer}/options`,
        BLOCK_LIMITS.overflowOptionsMin,
        BLOCK_LIMITS.overflowOptionsMax,
        BLOCK_LIMITS.overflowOptionValue,
      );
      break;
    case "static_select":
    case "multi_static_select":
      if (element.option_groups === undefined) {
        checkOptions(problems, element.options, `${pointer}/options`, 1, BLOCK_LIMITS.selectOptions, BLOCK_LIMITS.selectOptionValue);
      }
      break;
    case "checkboxes":
    case "radio_buttons":
      checkOptions(problems, element.options, `${pointer}/options`, 1, 10, BLOCK_LIMITS.selectOptionValue);
      break;
    default:
      break;
  }
}

function checkBlock(problems: Problems, block: unknown, pointer: string, allowedTypes: Set<string>, blockIds: Set<string>): void {
  if (!isObject(block)) {
    problems.add("must provide an object", pointer);
    return;
  }
  if (typeof block.type !== "string" || !allowedTypes.has(block.type)) {
    problems.add(`unsupported type: ${String(block.type)}`, `${pointer}/type`);
    return;
  }
  if (block.block_id !== undefined) {
    if (typeof block.block_id !== "string") problems.add("must provide a string", `${pointer}/block_id`);
    else {
      checkMaxLength(problems, block.block_id, BLOCK_LIMITS.blockId, `${pointer}/block_id`);
      // NOTE: the wording of this message is a best guess; Slack does reject repeated block_ids.
      if (blockIds.has(block.block_id)) problems.add("duplicate block_id", `${pointer}/block_id`);
      blockIds.add(block.block_id);
    }
  }

  const actionIds = new Set<string>();
  switch (block.type) {
    case "header":
      checkTextObject(problems, block.text, `${pointer}/text`, { max: BLOCK_LIMITS.headerText, plainOnly: true });
      break;
    case "section":
      checkSection(problems, block, pointer, actionIds);
      break;
    case "context":
      checkContext(problems, block, pointer);
      break;
    case "actions":
      if (!Array.isArray(block.elements)) {
        problems.add("must provide an array", `${pointer}/elements`);
        break;
      }
      if (block.elements.length === 0) problems.add("must provide at least 1 items", `${pointer}/elements`);
      if (block.elements.length > BLOCK_LIMITS.actionsElements) {
        problems.add(`no more than ${BLOCK_LIMITS.actionsElements} items allowed`, `${pointer}/elements`);
      }
      block.elements.forEach((element, index) => {
        checkElement(problems, element, `${pointer}/elements/${index}`, INTERACTIVE_ELEMENTS, actionIds);
      });
      break;
    case "input":
      checkTextObject(problems, block.label, `${pointer}/label`, { max: BLOCK_LIMITS.inputLabel, plainOnly: true });
      if (block.hint !== undefined) {
        checkTextObject(problems, block.hint, `${pointer}/hint`, { max: BLOCK_LIMITS.inputHint, plainOnly: true });
      }
      checkElement(problems, block.element, `${pointer}/element`, INPUT_ELEMENTS, actionIds);
      break;
    case "image":
      if (typeof block.alt_text !== "string") problems.add("must provide a string", `${pointer}/alt_text`);
      else checkMaxLength(problems, block.alt_text, BLOCK_LIMITS.imageAltText, `${pointer}/alt_text`);
      if (typeof block.image_url !== "string" && !isObject(block.slack_file)) {
        problems.add("must provide either image_url or slack_file", pointer);
      }
      break;
    default:
      break;
  }
}

function checkSection(problems: Problems, block: Json, pointer: string, actionIds: Set<string>): void {
  if (block.text === undefined && block.fields === undefined) {
    problems.add("must define either `text` or `fields`", `${pointer}/type`);
  }
  if (block.text !== undefined) {
    checkTextObject(problems, block.text, `${pointer}/text`, { max: BLOCK_LIMITS.sectionText });
  }
  if (block.fields !== undefined) {
    if (!Array.isArray(block.fields)) {
      problems.add("must provide an array", `${pointer}/fields`);
    } else {
      if (block.fields.length > BLOCK_LIMITS.sectionFields) {
        problems.add(`no more than ${BLOCK_LIMITS.sectionFields} items allowed`, `${pointer}/fields`);
      }
      block.fields.forEach((field, index) => {
        checkTextObject(problems, field, `${pointer}/fields/${index}`, { max: BLOCK_LIMITS.fieldText });
      });
    }
  }
  if (block.accessory !== undefined) {
    const accessory = block.accessory;
    if (isObject(accessory) && accessory.type === "image") {
      if (typeof accessory.alt_text !== "string") problems.add("must provide a string", `${pointer}/accessory/alt_text`);
    } else {
      checkElement(problems, accessory, `${pointer}/accessory`, INTERACTIVE_ELEMENTS, actionIds);
    }
  }
}

function checkContext(problems: Problems, block: Json, pointer: string): void {
  if (!Array.isArray(block.elements)) {
    problems.add("must provide an array", `${pointer}/elements`);
    return;
  }
  if (block.elements.length === 0) problems.add("must provide at least 1 items", `${pointer}/elements`);
  if (block.elements.length > BLOCK_LIMITS.contextElements) {
    problems.add(`no more than ${BLOCK_LIMITS.contextElements} items allowed`, `${pointer}/elements`);
  }
  block.elements.forEach((element, index) => {
    const elementPointer = `${pointer}/elements/${index}`;
    if (isObject(element) && element.type === "image") {
      if (typeof element.alt_text !== "string") problems.add("must provide a string", `${elementPointer}/alt_text`);
      return;
    }
    checkTextObject(problems, element, elementPointer, { max: BLOCK_LIMITS.sectionText });
  });
}

/**
 * Validates the blocks of a message (surface "message") or a modal (surface "modal"). Returns the
 * problems in Slack's wording; an empty list means Slack would accept the blocks.
 */
export function validateBlocks(blocks: unknown, surface: "message" | "modal"): string[] {
  const problems = new Problems();
  if (!Array.isArray(blocks)) {
    problems.add("must provide an array", "/blocks");
    return problems.list;
  }
  const max = surface === "message" ? BLOCK_LIMITS.messageBlocks : BLOCK_LIMITS.modalBlocks;
  if (blocks.length > max) problems.add(`no more than ${max} items allowed`, "/blocks");
  const allowedTypes = surface === "message" ? MESSAGE_BLOCK_TYPES : MODAL_BLOCK_TYPES;
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => checkBlock(problems, block, `/blocks/${index}`, allowedTypes, blockIds));
  return problems.list;
}

export const VIEW_LIMITS = {
  title: 24,
  submit: 24,
  close: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  /** Slack returns view_too_large above this many bytes of JSON (documented as 250 kB). */
  bytes: 250_000,
} as const;

/**
 * Validates a modal view for views.open / views.push / views.update. Returns Slack's error name and
 * the detailed problems, or null when the view is acceptable.
 */
export function validateModalView(view: unknown): { error: string; problems: string[] } | null {
  if (!isObject(view)) return { error: "invalid_arguments", problems: ["must provide an object [json-pointer:/view]"] };
  if (Buffer.byteLength(JSON.stringify(view), "utf8") > VIEW_LIMITS.bytes) return { error: "view_too_large", problems: [] };

  const problems = new Problems();
  if (view.type !== "modal") problems.add("must be one of modal", "/view/type");
  checkTextObject(problems, view.title, "/view/title", { max: VIEW_LIMITS.title, plainOnly: true });
  if (view.submit !== undefined) checkTextObject(problems, view.submit, "/view/submit", { max: VIEW_LIMITS.submit, plainOnly: true });
  if (view.close !== undefined) checkTextObject(problems, view.close, "/view/close", { max: VIEW_LIMITS.close, plainOnly: true });
  checkMaxLength(problems, view.private_metadata, VIEW_LIMITS.privateMetadata, "/view/private_metadata");
  checkMaxLength(problems, view.callback_id, VIEW_LIMITS.callbackId, "/view/callback_id");
  checkMaxLength(problems, view.external_id, VIEW_LIMITS.externalId, "/view/external_id");

  const blockProblems = validateBlocks(view.blocks, "modal").map((problem) => problem.replace("[json-pointer:/blocks", "[json-pointer:/view/blocks"));
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === "input");
  if (hasInput && view.submit === undefined) problems.add("must provide submit when the view has input blocks", "/view/submit");

  const all = [...problems.list, ...blockProblems];
  return all.length > 0 ? { error: "invalid_arguments", problems: all } : null;
}

const STATEFUL_WITHOUT_ACTION_ID = new Set([...INPUT_ELEMENTS].filter((type) => type !== "button" && type !== "overflow"));

function shortId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  let id = "";
  for (let index = 0; index < 5; index += 1) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return id;
}

function withActionId(element: unknown): unknown {
  if (!isObject(element) || typeof element.type !== "string") return element;
  const isInteractive = element.type === "button" || element.type === "overflow" || STATEFUL_WITHOUT_ACTION_ID.has(element.type);
  if (!isInteractive || typeof element.action_id === "string") return element;
  return { ...element, action_id: shortId() };
}

/**
 * Returns a copy of valid blocks with the ids Slack fills in: a block_id on every block and an
 * action_id on every interactive element that lacks one (Slack generates short random ids).
 */
export function withGeneratedIds(blocks: Json[]): Json[] {
  return blocks.map((block) => {
    const copy: Json = { ...block };
    if (typeof copy.block_id !== "string") copy.block_id = shortId();
    if (Array.isArray(copy.elements) && copy.type === "actions") copy.elements = copy.elements.map(withActionId);
    if (copy.accessory !== undefined) copy.accessory = withActionId(copy.accessory);
    if (copy.element !== undefined) copy.element = withActionId(copy.element);
    return copy;
  });
}
