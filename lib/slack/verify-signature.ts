import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack rejects requests whose timestamp is more than five minutes away from now, either way. */
export const MAX_REQUEST_AGE_SECONDS = 300;

export type SlackVerification =
  | { ok: true }
  | { ok: false; reason: "missing_secret" | "missing_header" | "invalid_timestamp" | "stale_timestamp" | "bad_signature" };

export interface VerifySlackRequestInput {
  signingSecret: string | undefined;
  /** The exact bytes received; never a re-serialised body. */
  rawBody: Buffer;
  timestampHeader: string | null;
  signatureHeader: string | null;
  /** Current time in seconds since the epoch; a parameter so the window can be tested. */
  nowSeconds?: number;
}

/**
 * Verifies X-Slack-Signature: "v0=" + hex HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}"),
 * compared in constant time, with the timestamp within five minutes of now in either direction.
 */
export function verifySlackRequest(input: VerifySlackRequestInput): SlackVerification {
  if (!input.signingSecret) return { ok: false, reason: "missing_secret" };
  const timestamp = input.timestampHeader?.trim();
  const signature = input.signatureHeader?.trim();
  if (!timestamp || !signature) return { ok: false, reason: "missing_header" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "invalid_timestamp" };

  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > MAX_REQUEST_AGE_SECONDS) return { ok: false, reason: "stale_timestamp" };

  const expected = signSlackRequest(input.signingSecret, timestamp, input.rawBody);
  const expectedBytes = Buffer.from(expected, "utf8");
  const actualBytes = Buffer.from(signature, "utf8");
  if (expectedBytes.length !== actualBytes.length || !timingSafeEqual(expectedBytes, actualBytes)) {
    return { ok: false, reason: "bad_signature" };
  }
  return { ok: true };
}

/** Computes the v0 signature of a request body, as Slack sends it and as the sandbox signs it. */
export function signSlackRequest(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac("sha256", signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest("hex")}`;
}
