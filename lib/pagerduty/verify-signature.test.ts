import { describe, expect, it } from "vitest";
import { signPagerDutyBody, verifyPagerDutySignature } from "./verify-signature";

const secret = "whsec-current";
const rawBody = Buffer.from(JSON.stringify({ event: { id: "e1", event_type: "incident.triggered" } }));

function verify(signatureHeader: string | null) {
  return verifyPagerDutySignature({ secret, rawBody, signatureHeader });
}

describe("verifyPagerDutySignature", () => {
  it("accepts one matching v1 signature", () => {
    expect(verify(`v1=${signPagerDutyBody(secret, rawBody)}`)).toEqual({ ok: true });
  });

  it("accepts two v1 values of which only the second matches", () => {
    const old = signPagerDutyBody("whsec-old", rawBody);
    const current = signPagerDutyBody(secret, rawBody);
    expect(verify(`v1=${old},v1=${current}`)).toEqual({ ok: true });
  });

  it("accepts a valid v1 value beside a v2 value", () => {
    const current = signPagerDutyBody(secret, rawBody);
    expect(verify(`v2=ffffffffffffffff, v1=${current}`)).toEqual({ ok: true });
  });

  it("rejects when no v1 value matches", () => {
    const header = `v1=${signPagerDutyBody("a", rawBody)},v1=${signPagerDutyBody("b", rawBody)}`;
    expect(verify(header)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a matching value under another version", () => {
    expect(verify(`v2=${signPagerDutyBody(secret, rawBody)}`)).toEqual({ ok: false, reason: "no_v1_signature" });
  });

  it("rejects a missing header and a missing secret", () => {
    expect(verify(null)).toEqual({ ok: false, reason: "missing_header" });
    expect(verifyPagerDutySignature({ secret: undefined, rawBody, signatureHeader: "v1=00" })).toEqual({
      ok: false,
      reason: "missing_secret",
    });
  });

  it("rejects a signature over a different body", () => {
    const other = signPagerDutyBody(secret, Buffer.from(`${rawBody.toString()} `));
    expect(verify(`v1=${other}`)).toEqual({ ok: false, reason: "bad_signature" });
  });
});
