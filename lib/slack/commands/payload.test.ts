import { describe, expect, it } from "vitest";
import { helpReply } from "./help";
import { parseSlashCommand, splitSubcommand } from "./payload";

describe("splitSubcommand", () => {
  it("splits the subcommand from its argument", () => {
    expect(splitSubcommand("oncall  Checkout On-Call ")).toEqual({ name: "oncall", argument: "Checkout On-Call" });
    expect(splitSubcommand("TRIGGER")).toEqual({ name: "trigger", argument: "" });
    expect(splitSubcommand("   ")).toEqual({ name: "", argument: "" });
  });
});

describe("parseSlashCommand", () => {
  it("reads Slack's form fields", () => {
    const form = new URLSearchParams({ team_id: "T1", channel_id: "D123", channel_name: "directmessage", user_id: "U1", command: "/pd", text: "help", response_url: "https://hooks.slack.com/commands/x", trigger_id: "1.2.3" });
    expect(parseSlashCommand(form)).toMatchObject({ team_id: "T1", channel_id: "D123", text: "help", trigger_id: "1.2.3" });
  });

  it("returns null without a user", () => {
    expect(parseSlashCommand(new URLSearchParams({ team_id: "T1", channel_id: "C1", command: "/pd" }))).toBeNull();
  });
});

describe("helpReply", () => {
  it("lists every subcommand", () => {
    const reply = helpReply("/pd");
    expect(reply.response_type).toBe("ephemeral");
    for (const name of ["trigger", "oncall", "unlink", "help"]) expect(reply.text).toContain(`/pd ${name}`);
  });

  it("names an unknown subcommand and escapes it", () => {
    const reply = helpReply("/pd", "<script>");
    expect(reply.text).toContain("Switchboard does not know `/pd &lt;script&gt;`");
  });
});
