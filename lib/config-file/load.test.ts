import { describe, expect, it } from "vitest";
import { ConfigFileError, parseConfigText } from "./load";

const environment = { BOT_TOKEN: "xoxb-123-abc" };

function problemsOf(text: string, env: Record<string, string | undefined> = environment): string[] {
  try {
    parseConfigText(text, "switchboard.yaml", env);
  } catch (error) {
    if (error instanceof ConfigFileError) return error.problems;
    throw error;
  }
  throw new Error("expected the file to be rejected");
}

const valid = `
workspaces:
  - teamId: T0123ABCD
    name: Acme
    botToken: \${BOT_TOKEN}
    botUserId: U0123BOT
extensions:
  - name: SlackV2-Checkout
    serviceId: PSVC1
    teamId: T0123ABCD
    channelId: C0123ABCD
    channelName: "#incidents"
    updates: [resolve, notes]
userLinks:
  - teamId: T0123ABCD
    slackUserId: U0123USER
    pagerdutyUserId: PUSER1
    email: " Jane@Example.com "
`;

describe("parseConfigText", () => {
  it("reads YAML and replaces environment references", () => {
    const config = parseConfigText(valid, "switchboard.yaml", environment);
    expect(config.workspaces[0]!.botToken).toBe("xoxb-123-abc");
    expect(config.extensions[0]!.channelName).toBe("incidents");
    expect(config.extensions[0]!.updates).toEqual(["resolve", "notes"]);
    expect(config.userLinks[0]!.email).toBe("jane@example.com");
  });

  it("reads JSON and defaults missing sections and updates", () => {
    const config = parseConfigText(
      JSON.stringify({ extensions: [{ name: "X", serviceId: "PS", teamId: "T1", channelId: "C1", channelName: "x" }] }),
      "switchboard.json",
      {},
    );
    expect(config.workspaces).toEqual([]);
    expect(config.extensions[0]!.updates).toEqual(["escalate", "resolve", "acknowledge", "reassign", "notes"]);
  });

  it("names the entry and field of an invalid value", () => {
    const problems = problemsOf(valid.replace("[resolve, notes]", "[resolve, acknowledgements]"));
    expect(problems).toEqual([expect.stringContaining('extensions[0] (name "SlackV2-Checkout").updates[1]')]);
    expect(problems[0]).toContain("escalate, resolve, acknowledge, reassign, notes");
  });

  it("names a missing environment variable and where it is used", () => {
    const problems = problemsOf(valid, {});
    expect(problems).toEqual(["workspaces.0.botToken: environment variable BOT_TOKEN is not set"]);
  });

  it("rejects an unknown field", () => {
    const problems = problemsOf(valid.replace("    name: Acme", "    name: Acme\n    colour: blue"));
    expect(problems[0]).toMatch(/^workspaces\[0\] \(teamId "T0123ABCD"\)/);
    expect(problems[0]).toContain("colour");
  });

  it("rejects a duplicate extension name in one workspace", () => {
    const doubled = valid.replace(
      "userLinks:",
      `  - name: SlackV2-Checkout\n    serviceId: PSVC2\n    teamId: T0123ABCD\n    channelId: C0999\n    channelName: other\nuserLinks:`,
    );
    expect(problemsOf(doubled)).toEqual(['extensions[1] (name "SlackV2-Checkout"): name must be unique in workspace T0123ABCD']);
  });

  it("rejects text that is not YAML", () => {
    expect(problemsOf("workspaces: [unclosed")[0]).toMatch(/not valid YAML or JSON/);
  });
});
