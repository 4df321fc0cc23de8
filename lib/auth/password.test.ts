import { describe, expect, it } from "vitest";
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from "./password";

describe("hashPassword", () => {
  it("stores scrypt parameters, salt and hash", async () => {
    const stored = await hashPassword("correct horse battery staple");
    const [scheme, n, r, p, salt, hash] = stored.split("$");
    expect(scheme).toBe("scrypt");
    expect(Number(n)).toBe(2 ** 15);
    expect(Number(r)).toBe(8);
    expect(Number(p)).toBe(1);
    expect(Buffer.from(salt!, "base64")).toHaveLength(16);
    expect(Buffer.from(hash!, "base64")).toHaveLength(64);
    expect(stored).not.toContain("correct horse");
  });

  it("salts each hash differently", async () => {
    const first = await hashPassword("the same password");
    const second = await hashPassword("the same password");
    expect(first).not.toBe(second);
  });
});

describe("verifyPassword", () => {
  it("accepts the right password", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
  });

  it("rejects a wrong password", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("treats NFKC-equivalent passwords as equal", async () => {
    // U+FB01 (the "fi" ligature) normalizes to "fi" under NFKC.
    const stored = await hashPassword("\uFB01ve boxing wizards jump");
    expect(await verifyPassword("five boxing wizards jump", stored)).toBe(true);
  });

  it("rejects malformed and foreign hashes", async () => {
    expect(await verifyPassword("anything", "")).toBe(false);
    expect(await verifyPassword("anything", "bcrypt$2b$10$abc")).toBe(false);
    expect(await verifyPassword("anything", "scrypt$32768$8$1$c2FsdA==")).toBe(false);
  });
});

describe("passwordProblem", () => {
  it("rejects passwords shorter than the minimum", () => {
    expect(passwordProblem("x".repeat(MIN_PASSWORD_LENGTH - 1))).toMatch(/at least 12 characters/);
  });

  it("accepts passwords from the minimum length", () => {
    expect(passwordProblem("x".repeat(MIN_PASSWORD_LENGTH))).toBeNull();
    expect(passwordProblem("x".repeat(512))).toBeNull();
  });

  it("rejects passwords over 512 characters", () => {
    expect(passwordProblem("x".repeat(513))).toMatch(/at most 512/);
  });
});
