import { describe, expect, it } from "vitest";
import { signSlackRequest, verifySlackRequest } from "./verify-signature";

const secret = "8f742231b10e8888abcd99yyyzzz85a5";
const now = 1_700_000_000;

function verify(body: string, timestamp: string, signature?: string, nowSeconds = now) {
  const rawBody = Buffer.from(body, "utf8");
  return verifySlackRequest({
    signingSecret: secret,
    rawBody,
    timestampHeader: timestamp,
    signatureHeader: signature ?? signSlackRequest(secret, timestamp, rawBody),
    nowSeconds,
  });
}

describe("verifySlackRequest", () => {
  it("accepts a form body with + and %2A as received", () => {
    const body = "token=x&team_id=T1&text=%2Apd+trigger+%2A&payload=%7B%22a%22%3A1%7D";
    expect(verify(body, String(now))).toEqual({ ok: true });
  });

  it("rejects the same form body once it is decoded and re-encoded", () => {
    const received = "text=%2Apd+trigger";
    const signature = signSlackRequest(secret, String(now), received);
    const reencoded = new URLSearchParams(received).toString();
    expect(reencoded).not.toBe(received);
    expect(verify(reencoded, String(now), signature)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("accepts unicode text signed as UTF-8 bytes", () => {
    const body = JSON.stringify({ text: "Zahlung fehlgeschlagen – 支付失败 🚨" });
    expect(verify(body, String(now))).toEqual({ ok: true });
  });

  it("accepts a timestamp 299 seconds old", () => {
    expect(verify("a=1", String(now - 299))).toEqual({ ok: true });
  });

  it("rejects a timestamp 301 seconds old", () => {
    expect(verify("a=1", String(now - 301))).toEqual({ ok: false, reason: "stale_timestamp" });
  });

  it("rejects a timestamp 301 seconds in the future", () => {
    expect(verify("a=1", String(now + 301))).toEqual({ ok: false, reason: "stale_timestamp" });
  });

  it("rejects a non-numeric timestamp", () => {
    const signature = signSlackRequest(secret, "abc", "a=1");
    expect(verify("a=1", "abc", signature)).toEqual({ ok: false, reason: "invalid_timestamp" });
  });

  it("rejects a signature made with another secret", () => {
    const signature = signSlackRequest("another-secret", String(now), "a=1");
    expect(verify("a=1", String(now), signature)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a tampered body", () => {
    const signature = signSlackRequest(secret, String(now), "a=1");
    expect(verify("a=2", String(now), signature)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects missing headers and a missing secret", () => {
    const rawBody = Buffer.from("a=1");
    expect(verifySlackRequest({ signingSecret: secret, rawBody, timestampHeader: null, signatureHeader: "v0=00", nowSeconds: now })).toEqual({
      ok: false,
      reason: "missing_header",
    });
    expect(verifySlackRequest({ signingSecret: secret, rawBody, timestampHeader: String(now), signatureHeader: null, nowSeconds: now })).toEqual({
      ok: false,
      reason: "missing_header",
    });
    expect(verifySlackRequest({ signingSecret: undefined, rawBody, timestampHeader: String(now), signatureHeader: "v0=00", nowSeconds: now })).toEqual({
      ok: false,
      reason: "missing_secret",
    });
  });

  it("rejects a signature of the wrong length without throwing", () => {
    expect(verify("a=1", String(now), "v0=abc")).toEqual({ ok: false, reason: "bad_signature" });
  });
});
