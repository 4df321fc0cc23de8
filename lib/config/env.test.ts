import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error("expected the environment to be rejected");
}

describe("parseEnv", () => {
  it("starts with nothing set, using the documented defaults", () => {
    const env = parseEnv({});
    expect(env.port).toBe(3000);
    expect(env.appUrl).toBe("http://127.0.0.1:3000");
    expect(env.slackApiUrl).toBe("https://slack.com/api/");
    expect(env.pagerdutyApiUrl).toBe("https://api.pagerduty.com");
    expect(env.databaseUrl).toBeUndefined();
    expect(env.slackSigningSecret).toBeUndefined();
  });

  it("treats empty values as unset and normalises URLs", () => {
    const env = parseEnv({ DATABASE_URL: "", SLACK_API_URL: "http://127.0.0.1:3100/api", PAGERDUTY_API_URL: "http://127.0.0.1:3200/" });
    expect(env.databaseUrl).toBeUndefined();
    expect(env.slackApiUrl).toBe("http://127.0.0.1:3100/api/");
    expect(env.pagerdutyApiUrl).toBe("http://127.0.0.1:3200");
  });

  it("decodes a 32-byte base64 ENCRYPTION_KEY", () => {
    const key = randomBytes(32);
    expect(parseEnv({ ENCRYPTION_KEY: key.toString("base64") }).encryptionKey?.equals(key)).toBe(true);
  });

  it("names each malformed variable", () => {
    const problems = problemsOf({
      DATABASE_URL: "mysql://localhost/db",
      PORT: "eighty",
      SLACK_API_URL: "ftp://slack",
      ENCRYPTION_KEY: randomBytes(16).toString("base64"),
    });
    expect(problems).toHaveLength(4);
    expect(problems.join("\n")).toContain("DATABASE_URL must be a postgresql:// connection string");
    expect(problems.join("\n")).toContain("PORT must be a whole number");
    expect(problems.join("\n")).toContain("SLACK_API_URL must be an http:// or https:// URL");
    expect(problems.join("\n")).toContain("ENCRYPTION_KEY must be 32 bytes encoded as base64");
  });

  it("rejects a port out of range", () => {
    expect(problemsOf({ PORT: "70000" })).toEqual(["PORT must be between 1 and 65535"]);
  });
});
