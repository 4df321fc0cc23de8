/**
 * Text helpers for Slack's mrkdwn. Slack treats only &, < and > as control characters, so exactly
 * those are escaped, once; everything else is shown as written.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (character) => ESCAPES[character] ?? character);
}

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
const ELLIPSIS = "…";

/**
 * Escapes `text` and cuts it to at most `maxLength` UTF-16 code units (Slack counts characters that
 * way), ending with "…" when cut. The cut falls between graphemes and never inside an escape such as
 * "&amp;", so the result is always valid mrkdwn.
 */
export function escapeAndTruncate(text: string, maxLength: number): string {
  return truncatePieces(text, maxLength, escapeMrkdwn);
}

/** Cuts plain text (for plain_text objects, which Slack never parses) to `maxLength` code units. */
export function truncatePlain(text: string, maxLength: number): string {
  return truncatePieces(text, maxLength, (piece) => piece);
}

function truncatePieces(text: string, maxLength: number, transform: (piece: string) => string): string {
  const whole = transform(text);
  if (whole.length <= maxLength) return whole;

  const budget = maxLength - ELLIPSIS.length;
  let result = "";
  for (const { segment } of graphemes.segment(text)) {
    const piece = transform(segment);
    if (result.length + piece.length > budget) break;
    result += piece;
  }
  return result.trimEnd() + ELLIPSIS;
}

/** A mrkdwn link `<url|label>`; the label is escaped and the URL must be http(s). */
export function mrkdwnLink(url: string, label: string): string {
  if (!isSafeUrl(url)) return escapeMrkdwn(label);
  const safeUrl = escapeMrkdwn(url).replace(/\|/g, "%7C");
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, "¦")}>`;
}

export function isSafeUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:";
  } catch {
    return false;
  }
}

/** A mention of a Slack user, `<@U123>`, or null when the id is not a Slack user id. */
export function mentionUser(slackUserId: string): string | null {
  return /^[UW][A-Z0-9]{2,}$/.test(slackUserId) ? `<@${slackUserId}>` : null;
}
