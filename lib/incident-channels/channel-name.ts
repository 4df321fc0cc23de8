import transliterate from "@sindresorhus/transliterate";

/**
 * Channel names from a template, made valid for Slack. This module has no server dependencies, so
 * the Set Channel dialog computes its live preview with the same code that creates the channel.
 */

export const DEFAULT_NAME_TEMPLATE = "inc-{number}-{title}";

/** Slack's maximum channel name length (conversations.create returns invalid_name_maxlength above it). */
export const CHANNEL_NAME_MAX = 80;

/** A template longer than this is rejected: the name is cut to 80 characters anyway. */
export const NAME_TEMPLATE_MAX = 200;

export const NAME_PLACEHOLDERS = ["number", "title", "service", "date"] as const;

const PLACEHOLDER = /\{(number|title|service|date)\}/g;
const ANY_PLACEHOLDER = /\{([^{}]*)\}/g;
const PLACEHOLDER_SET = new Set<string>(NAME_PLACEHOLDERS.map((name) => `{${name}}`));

export interface ChannelNameInput {
  number: number;
  title: string;
  serviceName: string;
  /** The incident's date; {date} is its UTC day as YYYY-MM-DD. */
  createdAt: Date;
}

/** Returns a reason when the template cannot be used, or null when it is valid. */
export function nameTemplateProblem(template: string): string | null {
  if (template.trim() === "") return "Enter a name template, for example inc-{number}-{title}.";
  if (template.length > NAME_TEMPLATE_MAX) return `The name template is ${template.length} characters long; use at most ${NAME_TEMPLATE_MAX}.`;
  const unknown = [...template.matchAll(ANY_PLACEHOLDER)].map((match) => match[0]).filter((placeholder) => !PLACEHOLDER_SET.has(placeholder));
  if (unknown.length > 0) {
    return `The name template uses ${unknown.join(", ")}, which is not a placeholder. Use {number}, {title}, {service} or {date}.`;
  }
  return null;
}

/**
 * Fills the template's placeholders in one pass, so text inside a title that looks like a
 * placeholder is never expanded.
 */
export function fillNameTemplate(template: string, input: ChannelNameInput): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    switch (name) {
      case "number":
        return String(input.number);
      case "title":
        return input.title;
      case "service":
        return input.serviceName;
      default:
        return input.createdAt.toISOString().slice(0, 10);
    }
  });
}

/**
 * Turns any text into a valid Slack channel name: letters transliterated to Latin, lowercase, only
 * a-z, 0-9, "-" and "_", every run of other characters (hyphens included) turned into one "-", no
 * "-" at either end, at most 80 characters. Returns `fallback` when no letter or digit remains.
 */
export function toSlackChannelName(text: string, fallback: string): string {
  const name = trimHyphens(
    transliterate(text)
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, "-"),
  );
  const cut = trimHyphens(name.slice(0, CHANNEL_NAME_MAX));
  return /[a-z0-9]/.test(cut) ? cut : fallback;
}

/** Builds the channel name for an incident from a template, or "inc-<number>" when the template leaves nothing. */
export function buildChannelName(template: string, input: ChannelNameInput): string {
  return toSlackChannelName(fillNameTemplate(template, input), `inc-${input.number}`);
}

/**
 * Appends a numeric suffix ("-2", "-3", …) for when the plain name is taken. The name is cut
 * first where needed, so the result stays within 80 characters.
 */
export function withNumericSuffix(name: string, suffix: number): string {
  const ending = `-${suffix}`;
  return `${trimHyphens(name.slice(0, CHANNEL_NAME_MAX - ending.length))}${ending}`;
}

/** Returns a reason when Slack would reject the name, or null when it is valid. */
export function channelNameProblem(name: string): string | null {
  if (name.length === 0) return "Enter a channel name.";
  if (name.length > CHANNEL_NAME_MAX) return `The channel name is ${name.length} characters long; Slack allows at most ${CHANNEL_NAME_MAX}.`;
  if (!/^[a-z0-9_-]+$/.test(name)) return "Slack channel names may contain only lowercase letters, digits, hyphens and underscores.";
  if (!/[a-z0-9]/.test(name)) return "A Slack channel name needs at least one letter or digit.";
  return null;
}

function trimHyphens(text: string): string {
  return text.replace(/^-+|-+$/g, "");
}
