import { escapeHtml } from "../http";

/**
 * Renders Slack mrkdwn as HTML for the sandbox page. Message text is never trusted as HTML: every
 * piece of it is HTML-escaped, and only the markup this renderer writes reaches the page. Slack's
 * own escapes (&amp; &lt; &gt;) are decoded exactly once before that.
 */

export interface NameResolver {
  user(userId: string): string;
  channel(channelId: string): string;
}

const PLACEHOLDER_START = "\uE000";
const PLACEHOLDER_END = "\uE001";
const PLACEHOLDER_PATTERN = /\uE000(\d+)\uE001/g;
const SAFE_LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** Decodes Slack's three escapes, once: "&amp;lt;" becomes "&lt;", not "<". */
const SLACK_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">" };

export function decodeSlackEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_match, name: string) => SLACK_ENTITIES[name] ?? "");
}

class Fragments {
  private readonly html: string[] = [];

  add(html: string): string {
    this.html.push(html);
    return `${PLACEHOLDER_START}${this.html.length - 1}${PLACEHOLDER_END}`;
  }

  restore(text: string): string {
    return text.replace(PLACEHOLDER_PATTERN, (_match, index: string) => this.html[Number(index)] ?? "");
  }
}

function renderLink(target: string, label: string | undefined): string {
  const url = decodeSlackEntities(target);
  const text = escapeHtml(decodeSlackEntities(label ?? target));
  try {
    const parsed = new URL(url);
    if (!SAFE_LINK_PROTOCOLS.has(parsed.protocol)) return text;
  } catch {
    return text;
  }
  return `<a href="${escapeHtml(url)}" rel="noopener noreferrer" target="_blank">${text}</a>`;
}

/** Renders one `<...>` control sequence: mentions, channel links, special mentions, dates, URLs. */
function renderControl(body: string, names: NameResolver): string {
  const [target = "", label] = splitOnce(body, "|");
  if (target.startsWith("@")) {
    const name = label ? decodeSlackEntities(label) : names.user(target.slice(1));
    return `<span class="sb-mention">@${escapeHtml(name.replace(/^@/, ""))}</span>`;
  }
  if (target.startsWith("#")) {
    const name = label ? decodeSlackEntities(label) : names.channel(target.slice(1));
    return `<span class="sb-mention">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("!")) {
    const command = target.slice(1);
    if (command.startsWith("date^")) return escapeHtml(decodeSlackEntities(label ?? command));
    if (command.startsWith("subteam^")) return `<span class="sb-mention">${escapeHtml(decodeSlackEntities(label ?? "@group"))}</span>`;
    return `<span class="sb-mention">@${escapeHtml(label ? decodeSlackEntities(label) : command)}</span>`;
  }
  return renderLink(target, label);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

const INLINE_STYLES: Array<{ marker: string; tag: string }> = [
  { marker: "*", tag: "strong" },
  { marker: "_", tag: "em" },
  { marker: "~", tag: "s" },
];

/** Builds the pattern for `marker`-wrapped text that starts and ends at word boundaries, as Slack requires. */
function stylePattern(marker: string): RegExp {
  // Outside a character class "*" needs escaping; inside one, none of the three markers does.
  const m = marker === "*" ? "\\*" : marker;
  return new RegExp(`(^|[^\\p{L}\\p{N}${marker}])${m}(?=\\S)([^${marker}\\n]*?\\S)${m}(?![\\p{L}\\p{N}${marker}])`, "u");
}

const STYLE_PATTERNS = INLINE_STYLES.map((style) => ({ ...style, pattern: stylePattern(style.marker) }));

/** Applies bold, italic and strikethrough to decoded text, escaping everything else. */
function renderInline(text: string): string {
  let best: { index: number; length: number; prefix: string; inner: string; tag: string } | undefined;
  for (const style of STYLE_PATTERNS) {
    const match = style.pattern.exec(text);
    if (match && (best === undefined || match.index < best.index)) {
      best = { index: match.index, length: match[0].length, prefix: match[1] ?? "", inner: match[2] ?? "", tag: style.tag };
    }
  }
  if (!best) return escapeHtml(text);
  const before = text.slice(0, best.index) + best.prefix;
  const after = text.slice(best.index + best.length);
  return `${escapeHtml(before)}<${best.tag}>${renderInline(best.inner)}</${best.tag}>${renderInline(after)}`;
}

/** Renders lines, grouping runs of "> " lines into block quotes. */
function renderLines(text: string): string {
  const lines = text.split("\n");
  const parts: string[] = [];
  let quote: string[] = [];
  const flushQuote = (): void => {
    if (quote.length > 0) parts.push(`<blockquote>${quote.join("<br>")}</blockquote>`);
    quote = [];
  };
  const plain: string[] = [];
  const flushPlain = (): void => {
    if (plain.length > 0) parts.push(plain.join("<br>"));
    plain.length = 0;
  };
  for (const line of lines) {
    const decoded = decodeSlackEntities(line);
    if (decoded.startsWith(">")) {
      flushPlain();
      quote.push(renderInline(decoded.replace(/^>\s?/, "")));
    } else {
      flushQuote();
      plain.push(renderInline(decoded));
    }
  }
  flushQuote();
  flushPlain();
  return parts.join("<br>");
}

export function mrkdwnToHtml(text: string, names: NameResolver): string {
  const fragments = new Fragments();
  // Placeholder characters in the text itself would be mistaken for fragments.
  let working = text.replace(/[\uE000\uE001]/g, "\uFFFD");
  working = working.replace(/```([\s\S]*?)```/g, (_match, code: string) =>
    fragments.add(`<pre class="sb-pre">${escapeHtml(decodeSlackEntities(code.replace(/^\n/, "")))}</pre>`),
  );
  working = working.replace(/`([^`\n]+)`/g, (_match, code: string) => fragments.add(`<code>${escapeHtml(decodeSlackEntities(code))}</code>`));
  working = working.replace(/<([^<>\n]+)>/g, (_match, body: string) => fragments.add(renderControl(body, names)));
  return fragments.restore(renderLines(working));
}

/** Renders a plain_text object's text: shown as written, never parsed. */
export function plainTextToHtml(text: string): string {
  return escapeHtml(text).replace(/\n/g, "<br>");
}
