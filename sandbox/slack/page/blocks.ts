import { escapeHtml } from "../http";
import type { JsonObject } from "../state";
import { MEMBERS } from "../workspace";
import { initialSelection, type Selection } from "../interactions/elements";
import { mrkdwnToHtml, plainTextToHtml, type NameResolver } from "./mrkdwn";

/**
 * Block Kit to HTML for the sandbox page. Interactive elements carry the data attributes the page
 * script reads (data-action-id, data-block-id, data-kind). Images are shown as their alt text, so
 * the page loads nothing from another host.
 */

export interface BlockRenderContext {
  names: NameResolver;
  /** A prefix that keeps element ids unique on the page (one per message or view). */
  idPrefix: string;
  surface: "message" | "view";
  /** Channels offered by conversation and channel selects. */
  channels: Array<{ id: string; name: string }>;
  /** Current input selections of a view, by block_id then action_id. */
  selections?: Record<string, Record<string, JsonObject>>;
  /** Errors beside view inputs, by block_id. */
  errors?: Record<string, string>;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Escapes a value for an attribute: strings as they are, objects as JSON, nothing as "". */
function attr(value: unknown): string {
  if (value === undefined || value === null) return "";
  return escapeHtml(typeof value === "string" ? value : JSON.stringify(value));
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** Renders a text object: mrkdwn is formatted, plain_text is shown as written. */
export function textObjectHtml(value: unknown, names: NameResolver): string {
  if (!isObject(value) || typeof value.text !== "string") return "";
  return value.type === "mrkdwn" ? mrkdwnToHtml(value.text, names) : plainTextToHtml(value.text);
}

function plainText(value: unknown): string {
  return isObject(value) && typeof value.text === "string" ? value.text : "";
}

function optionsOf(element: JsonObject): JsonObject[] {
  const direct = Array.isArray(element.options) ? element.options.filter(isObject) : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.filter(isObject).flatMap((group) => (Array.isArray(group.options) ? group.options.filter(isObject) : []))
    : [];
  return [...direct, ...grouped];
}

function dataAttributes(element: JsonObject, blockId: string, kind: string): string {
  return `data-kind="${kind}" data-action-id="${attr(element.action_id)}" data-block-id="${attr(blockId)}" data-element-type="${attr(element.type)}"`;
}

function buttonHtml(element: JsonObject, blockId: string): string {
  const style = element.style === "primary" || element.style === "danger" ? ` sb-button--${element.style}` : "";
  const confirm = isObject(element.confirm) ? ` data-confirm="${attr(element.confirm)}"` : "";
  const url = typeof element.url === "string" ? ` data-url="${attr(element.url)}" title="${attr(element.url)}"` : "";
  return `<button type="button" class="sb-button${style}" ${dataAttributes(element, blockId, "button")}${confirm}${url}>${escapeHtml(plainText(element.text))}</button>`;
}

function overflowHtml(element: JsonObject, blockId: string, context: BlockRenderContext): string {
  const menuId = `${context.idPrefix}-menu-${slug(String(element.action_id ?? ""))}`;
  const items = optionsOf(element)
    .map((option) => {
      const confirm = isObject(element.confirm) ? ` data-confirm="${attr(element.confirm)}"` : "";
      return `<li role="none"><button type="button" role="menuitem" tabindex="-1" data-option-value="${attr(option.value)}"${confirm}>${escapeHtml(plainText(option.text))}</button></li>`;
    })
    .join("");
  return (
    `<div class="sb-overflow" ${dataAttributes(element, blockId, "overflow")}>` +
    `<button type="button" class="sb-overflow__toggle" aria-haspopup="menu" aria-expanded="false" aria-controls="${menuId}" aria-label="More actions…"><span aria-hidden="true">⋯</span></button>` +
    `<ul class="sb-overflow__menu" role="menu" id="${menuId}" aria-label="More actions…" hidden>${items}</ul>` +
    `</div>`
  );
}

function currentSelection(element: JsonObject, blockId: string, context: BlockRenderContext): Selection | undefined {
  const stored = context.selections?.[blockId]?.[String(element.action_id ?? "")];
  if (!stored) return initialSelection(element);
  if (isObject(stored.selected_option)) return { value: String(stored.selected_option.value) };
  if (Array.isArray(stored.selected_options)) return { values: stored.selected_options.filter(isObject).map((option) => String(option.value)) };
  for (const key of ["selected_user", "selected_conversation", "selected_channel", "selected_date", "selected_time", "value"]) {
    if (typeof stored[key] === "string") return { value: stored[key] as string };
  }
  for (const key of ["selected_users", "selected_conversations", "selected_channels"]) {
    if (Array.isArray(stored[key])) return { values: (stored[key] as unknown[]).map(String) };
  }
  return undefined;
}

function choicesOf(element: JsonObject, context: BlockRenderContext): Array<{ value: string; label: string }> {
  const type = String(element.type);
  if (type.includes("users_select")) return MEMBERS.map((member) => ({ value: member.id, label: member.realName }));
  if (type.includes("conversations_select") || type.includes("channels_select")) {
    return context.channels.map((channel) => ({ value: channel.id, label: `#${channel.name}` }));
  }
  return optionsOf(element).map((option) => ({ value: String(option.value), label: plainText(option.text) }));
}

/** The HTML input type of each Block Kit text-like element. */
const INPUT_TYPES: Record<string, string> = { email_text_input: "email", url_text_input: "url", number_input: "number", plain_text_input: "text" };

interface ControlOptions {
  label: string;
  /** "control" for elements that act at once (in messages), "input" for view inputs read on submit. */
  kind: "control" | "input";
  /** Extra HTML after the label text, such as "(optional)". */
  labelSuffix?: string;
  /** The id of an error message describing the control. */
  errorId?: string;
}

/** Renders a select, date, time, text or choice control with its label. */
function controlHtml(element: JsonObject, blockId: string, context: BlockRenderContext, options: ControlOptions): string {
  const type = String(element.type);
  const id = `${context.idPrefix}-${slug(blockId)}-${slug(String(element.action_id ?? ""))}`;
  const selection = currentSelection(element, blockId, context);
  const invalid = options.errorId ? ` aria-invalid="true" aria-describedby="${options.errorId}"` : "";
  const data = `${dataAttributes(element, blockId, options.kind)}${invalid}`;
  const placeholder = plainText(element.placeholder);
  const labelText = `${escapeHtml(options.label || placeholder || "Choose")}${options.labelSuffix ?? ""}`;
  const hiddenLabel = options.kind === "control" ? " sb-visually-hidden" : "";
  const labelHtml = `<label class="sb-control-label${hiddenLabel}" for="${id}">${labelText}</label>`;

  if (type === "plain_text_input" || type === "email_text_input" || type === "url_text_input" || type === "number_input") {
    const value = selection?.value ?? "";
    if (type === "plain_text_input" && element.multiline === true) {
      return `${labelHtml}<textarea id="${id}" ${data} rows="4" placeholder="${attr(placeholder)}">${escapeHtml(value)}</textarea>`;
    }
    const inputType = INPUT_TYPES[type] ?? "text";
    const maxLength = typeof element.max_length === "number" ? ` maxlength="${element.max_length}"` : "";
    return `${labelHtml}<input type="${inputType}" id="${id}" ${data} value="${attr(value)}" placeholder="${attr(placeholder)}"${maxLength}>`;
  }
  if (type === "datepicker") return `${labelHtml}<input type="date" id="${id}" ${data} value="${attr(selection?.value ?? "")}">`;
  if (type === "timepicker") return `${labelHtml}<input type="time" id="${id}" ${data} value="${attr(selection?.value ?? "")}">`;

  const choices = choicesOf(element, context);
  if (type === "radio_buttons" || type === "checkboxes") {
    const inputType = type === "radio_buttons" ? "radio" : "checkbox";
    const chosen = new Set(selection?.values ?? (selection?.value !== undefined ? [selection.value] : []));
    const items = choices
      .map((choice, index) => {
        const optionId = `${id}-${index}`;
        const checked = chosen.has(choice.value) ? " checked" : "";
        return `<div class="sb-choice"><input type="${inputType}" id="${optionId}" name="${id}" value="${attr(choice.value)}"${checked}><label for="${optionId}">${escapeHtml(choice.label)}</label></div>`;
      })
      .join("");
    return `<fieldset class="sb-choices" ${data}><legend class="sb-control-label${hiddenLabel}">${labelText}</legend>${items}</fieldset>`;
  }

  const multiple = type.startsWith("multi_");
  const chosen = new Set(selection?.values ?? (selection?.value !== undefined ? [selection.value] : []));
  const optionsHtml = choices
    .map((choice) => `<option value="${attr(choice.value)}"${chosen.has(choice.value) ? " selected" : ""}>${escapeHtml(choice.label)}</option>`)
    .join("");
  const empty = multiple ? "" : `<option value="">${escapeHtml(placeholder || "Select an item")}</option>`;
  return `${labelHtml}<select id="${id}" ${data}${multiple ? " multiple" : ""}>${empty}${optionsHtml}</select>`;
}

function elementHtml(element: unknown, blockId: string, context: BlockRenderContext): string {
  if (!isObject(element)) return "";
  switch (element.type) {
    case "button":
      return buttonHtml(element, blockId);
    case "overflow":
      return overflowHtml(element, blockId, context);
    case "image":
      return `<span class="sb-image">[image: ${escapeHtml(String(element.alt_text ?? ""))}]</span>`;
    default:
      return `<span class="sb-control">${controlHtml(element, blockId, context, { label: plainText(element.placeholder), kind: "control" })}</span>`;
  }
}

function richTextHtml(block: JsonObject, names: NameResolver): string {
  const inline = (elements: unknown): string =>
    (Array.isArray(elements) ? elements.filter(isObject) : [])
      .map((item) => {
        switch (item.type) {
          case "text": {
            let html = plainTextToHtml(String(item.text ?? ""));
            const style = isObject(item.style) ? item.style : {};
            if (style.code) html = `<code>${html}</code>`;
            if (style.bold) html = `<strong>${html}</strong>`;
            if (style.italic) html = `<em>${html}</em>`;
            if (style.strike) html = `<s>${html}</s>`;
            return html;
          }
          case "link":
            return mrkdwnToHtml(`<${String(item.url ?? "")}|${String(item.text ?? item.url ?? "")}>`, names);
          case "user":
            return `<span class="sb-mention">@${escapeHtml(names.user(String(item.user_id ?? "")))}</span>`;
          case "channel":
            return `<span class="sb-mention">#${escapeHtml(names.channel(String(item.channel_id ?? "")))}</span>`;
          case "emoji":
            return typeof item.unicode === "string" ? escapeHtml(String.fromCodePoint(...item.unicode.split("-").map((hex) => parseInt(hex, 16)))) : `:${escapeHtml(String(item.name ?? ""))}:`;
          default:
            return "";
        }
      })
      .join("");
  const sections = (Array.isArray(block.elements) ? block.elements.filter(isObject) : []).map((section) => {
    switch (section.type) {
      case "rich_text_list": {
        const tag = section.style === "ordered" ? "ol" : "ul";
        const items = (Array.isArray(section.elements) ? section.elements.filter(isObject) : []).map((item) => `<li>${inline(item.elements)}</li>`).join("");
        return `<${tag}>${items}</${tag}>`;
      }
      case "rich_text_preformatted":
        return `<pre class="sb-pre">${inline(section.elements)}</pre>`;
      case "rich_text_quote":
        return `<blockquote>${inline(section.elements)}</blockquote>`;
      default:
        return `<p>${inline(section.elements)}</p>`;
    }
  });
  return `<div class="sb-block sb-rich-text">${sections.join("")}</div>`;
}

function inputBlockHtml(block: JsonObject, blockId: string, context: BlockRenderContext): string {
  const element = isObject(block.element) ? block.element : {};
  const label = plainText(block.label);
  const error = context.errors?.[blockId];
  const errorId = `${context.idPrefix}-${slug(blockId)}-error`;
  const hint = isObject(block.hint) ? `<p class="sb-hint">${plainTextToHtml(plainText(block.hint))}</p>` : "";
  const optional = block.optional === true ? ` <span class="sb-optional">(optional)</span>` : "";
  const control = controlHtml(element, blockId, context, { label, kind: "input", labelSuffix: optional, ...(error ? { errorId } : {}) });
  const errorHtml = error ? `<p class="sb-field-error" id="${errorId}" role="alert">${escapeHtml(error)}</p>` : "";
  return `<div class="sb-block sb-input" data-block-id="${attr(blockId)}">${control}${hint}${errorHtml}</div>`;
}

function blockHtml(block: unknown, context: BlockRenderContext): string {
  if (!isObject(block)) return "";
  const blockId = typeof block.block_id === "string" ? block.block_id : "";
  const data = `data-block-id="${attr(blockId)}"`;
  switch (block.type) {
    case "header":
      return `<h3 class="sb-block sb-header" ${data}>${escapeHtml(plainText(block.text))}</h3>`;
    case "divider":
      return `<hr class="sb-block sb-divider" ${data}>`;
    case "section": {
      const text = block.text ? `<div class="sb-section__text">${textObjectHtml(block.text, context.names)}</div>` : "";
      const fields = Array.isArray(block.fields)
        ? `<div class="sb-section__fields">${block.fields.map((field) => `<div class="sb-field">${textObjectHtml(field, context.names)}</div>`).join("")}</div>`
        : "";
      const accessory = block.accessory ? `<div class="sb-section__accessory">${elementHtml(block.accessory, blockId, context)}</div>` : "";
      return `<section class="sb-block sb-section" ${data}><div class="sb-section__main">${text}${fields}</div>${accessory}</section>`;
    }
    case "context": {
      const items = (Array.isArray(block.elements) ? block.elements : [])
        .map((element) =>
          isObject(element) && element.type === "image"
            ? `<span class="sb-image">[image: ${escapeHtml(String(element.alt_text ?? ""))}]</span>`
            : `<span>${textObjectHtml(element, context.names)}</span>`,
        )
        .join(" ");
      return `<div class="sb-block sb-context" ${data}>${items}</div>`;
    }
    case "actions": {
      const elements = (Array.isArray(block.elements) ? block.elements : []).map((element) => elementHtml(element, blockId, context)).join("");
      return `<div class="sb-block sb-actions" role="group" aria-label="Message actions" ${data}>${elements}</div>`;
    }
    case "image":
      return `<figure class="sb-block sb-image-block" ${data}><span class="sb-image">[image: ${escapeHtml(String(block.alt_text ?? ""))}]</span>${
        block.title ? `<figcaption>${escapeHtml(plainText(block.title))}</figcaption>` : ""
      }</figure>`;
    case "rich_text":
      return richTextHtml(block, context.names);
    case "markdown":
      return `<div class="sb-block sb-markdown" ${data}>${plainTextToHtml(String(block.text ?? ""))}</div>`;
    case "input":
      return context.surface === "view" ? inputBlockHtml(block, blockId, context) : "";
    default:
      return `<p class="sb-block sb-unsupported" ${data}>Unsupported block: ${escapeHtml(String(block.type))}</p>`;
  }
}

export function blocksHtml(blocks: unknown, context: BlockRenderContext): string {
  return (Array.isArray(blocks) ? blocks : []).map((block) => blockHtml(block, context)).join("");
}
