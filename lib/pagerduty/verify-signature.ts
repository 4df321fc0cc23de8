import { createHmac, timingSafeEqual } from "node:crypto";

export type PagerDutyVerification =
  | { ok: true }
  | { ok: false; reason: "missing_secret" | "missing_header" | "no_v1_signature" | "bad_signature" };

/**
 * Verifies X-PagerDuty-Signature over the raw body. The header holds one or more comma-separated
 * signatures ("v1=<hex>,v1=<hex>" while a secret is being rotated); any v1 value that matches
 * HMAC-SHA256(secret, body) in hex is enough, and other versions are ignored.
 */
export function verifyPagerDutySignature(input: {
  secret: string | undefined;
  rawBody: Buffer;
  signatureHeader: string | null;
}): PagerDutyVerification {
  if (!input.secret) return { ok: false, reason: "missing_secret" };
  if (!input.signatureHeader?.trim()) return { ok: false, reason: "missing_header" };

  const candidates = input.signatureHeader
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.startsWith("v1="))
    .map((part) => part.slice(3));
  if (candidates.length === 0) return { ok: false, reason: "no_v1_signature" };

  const expected = Buffer.from(signPagerDutyBody(input.secret, input.rawBody), "utf8");
  let matched = false;
  // Every candidate is compared, so the time taken does not reveal which one matched.
  for (const candidate of candidates) {
    const actual = Buffer.from(candidate.toLowerCase(), "utf8");
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: "bad_signature" };
}

/** Hex HMAC-SHA256 of a webhook body, without the "v1=" prefix. */
export function signPagerDutyBody(secret: string, rawBody: Buffer | string): string {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}
