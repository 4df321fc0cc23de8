// The work every ack floor does, and nothing more: check the signature over the raw bytes, read the
// sender's event id, and store the body in one INSERT. Plain JavaScript, so that the Next.js floor
// app needs no TypeScript setup of its own.
import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack rejects requests whose timestamp is more than five minutes from now. */
const MAX_REQUEST_AGE_SECONDS = 300;

/**
 * The floors' table: one row per accepted request, deduplicated like Switchboard's inbox. It has a
 * schema of its own because Switchboard refuses to migrate a public schema that has other tables.
 */
export const CREATE_FLOOR_TABLE_SQL = `CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE IF NOT EXISTS bench.floor_event (
  id BIGSERIAL PRIMARY KEY,
  floor TEXT NOT NULL,
  external_id TEXT NOT NULL,
  raw_body TEXT NOT NULL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (floor, external_id)
)`;

export const INSERT_FLOOR_EVENT_SQL = {
  name: "insert_floor_event",
  text: "INSERT INTO bench.floor_event (floor, external_id, raw_body) VALUES ($1, $2, $3) ON CONFLICT (floor, external_id) DO NOTHING",
};

function safeEqual(expected, actual) {
  const expectedBytes = Buffer.from(expected, "utf8");
  const actualBytes = Buffer.from(actual, "utf8");
  return expectedBytes.length === actualBytes.length && timingSafeEqual(expectedBytes, actualBytes);
}

/** Returns true when X-Slack-Signature matches the raw body and the timestamp is recent. */
export function isSlackRequestValid(signingSecret, timestampHeader, signatureHeader, rawBody) {
  if (!timestampHeader || !signatureHeader || !/^\d{1,12}$/.test(timestampHeader)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestampHeader)) > MAX_REQUEST_AGE_SECONDS) return false;
  const hmac = createHmac("sha256", signingSecret);
  hmac.update(`v0:${timestampHeader}:`);
  hmac.update(rawBody);
  return safeEqual(`v0=${hmac.digest("hex")}`, signatureHeader);
}

/** Returns true when one v1 value of X-PagerDuty-Signature matches the raw body. */
export function isPagerDutyRequestValid(secret, signatureHeader, rawBody) {
  if (!signatureHeader) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest("hex");
  let matched = false;
  for (const part of signatureHeader.split(",")) {
    const value = part.trim();
    if (value.startsWith("v1=") && safeEqual(expected, value.slice(3))) matched = true;
  }
  return matched;
}

/** Returns the trigger_id of a form-encoded interaction body, or null when the body is not one. */
export function slackTriggerId(rawText) {
  const payload = new URLSearchParams(rawText).get("payload");
  if (!payload) return null;
  try {
    const parsed = JSON.parse(payload);
    return typeof parsed?.trigger_id === "string" ? parsed.trigger_id : null;
  } catch {
    return null;
  }
}

/** Returns event.id of a V3 webhook body, or null when the body is not one. */
export function pagerDutyEventId(rawText) {
  try {
    const parsed = JSON.parse(rawText);
    return typeof parsed?.event?.id === "string" ? parsed.event.id : null;
  } catch {
    return null;
  }
}
