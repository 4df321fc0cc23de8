import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

const APP = "http://127.0.0.1:3000";

describe("safeCallbackPath", () => {
  it("keeps a path inside Switchboard", () => {
    expect(safeCallbackPath("/users", APP)).toBe("/users");
    expect(safeCallbackPath("/audit-log?action=user.disable&page=2", APP)).toBe("/audit-log?action=user.disable&page=2");
  });

  it("turns a same-origin absolute URL into its path", () => {
    expect(safeCallbackPath("http://127.0.0.1:3000/extensions/new", APP)).toBe("/extensions/new");
  });

  it("rejects other origins", () => {
    expect(safeCallbackPath("https://evil.example/", APP)).toBe("/");
    expect(safeCallbackPath("http://127.0.0.1:3001/users", APP)).toBe("/");
    expect(safeCallbackPath("//evil.example/users", APP)).toBe("/");
    expect(safeCallbackPath("/\\evil.example", APP)).toBe("/");
    expect(safeCallbackPath("javascript:alert(1)", APP)).toBe("/");
  });

  it("never returns to the sign-in, setup or invitation pages", () => {
    expect(safeCallbackPath("/sign-in?error=CredentialsSignin", APP)).toBe("/");
    expect(safeCallbackPath("/setup", APP)).toBe("/");
    expect(safeCallbackPath("/invite/abc", APP)).toBe("/");
    expect(safeCallbackPath("/api/auth/signout", APP)).toBe("/");
  });

  it("uses the first of repeated values and defaults to /", () => {
    expect(safeCallbackPath(["/users", "/audit-log"], APP)).toBe("/users");
    expect(safeCallbackPath(undefined, APP)).toBe("/");
    expect(safeCallbackPath("", APP)).toBe("/");
  });
});
