import { describe, expect, it } from "vitest";
import { slackChannelUrl } from "./slack-links";

describe("slackChannelUrl", () => {
  it("uses app_redirect for Slack", () => {
    expect(slackChannelUrl({ slackTeamId: "T1", slackChannelId: "C2" }, "https://slack.com/api/")).toBe("https://slack.com/app_redirect?team=T1&channel=C2");
  });

  it("uses the fake Slack's page", () => {
    expect(slackChannelUrl({ slackTeamId: "T1", slackChannelId: "C2" }, "http://127.0.0.1:3100/api/")).toBe("http://127.0.0.1:3100/client/C2");
  });
});
