import { describe, expect, it } from "vitest";
import { parseEnv } from "../config/env";
import { slackOpenIdEndpoints, slackSignInProvider } from "./slack-provider";

describe("slackOpenIdEndpoints", () => {
  it("derives Slack's own endpoints from the default API URL", () => {
    expect(slackOpenIdEndpoints("https://slack.com/api/")).toEqual({
      issuer: "https://slack.com",
      authorization: "https://slack.com/openid/connect/authorize",
      token: "https://slack.com/api/openid.connect.token",
      userinfo: "https://slack.com/api/openid.connect.userInfo",
      jwks: "https://slack.com/openid/connect/keys",
    });
  });

  it("uses the origin of a local fake Slack, port included", () => {
    expect(slackOpenIdEndpoints("http://127.0.0.1:3100/api/")).toEqual({
      issuer: "http://127.0.0.1:3100",
      authorization: "http://127.0.0.1:3100/openid/connect/authorize",
      token: "http://127.0.0.1:3100/api/openid.connect.token",
      userinfo: "http://127.0.0.1:3100/api/openid.connect.userInfo",
      jwks: "http://127.0.0.1:3100/openid/connect/keys",
    });
  });

  it("ignores the path of the API URL", () => {
    expect(slackOpenIdEndpoints("http://localhost:9000/some/prefix/api/").authorization).toBe("http://localhost:9000/openid/connect/authorize");
  });
});

describe("slackSignInProvider", () => {
  it("is null without a Slack client id and secret", () => {
    expect(slackSignInProvider(parseEnv({}))).toBeNull();
    expect(slackSignInProvider(parseEnv({ SLACK_CLIENT_ID: "123.456" }))).toBeNull();
    expect(slackSignInProvider(parseEnv({ SLACK_CLIENT_SECRET: "secret" }))).toBeNull();
  });

  it("configures OpenID Connect against SLACK_API_URL's origin", () => {
    const provider = slackSignInProvider(parseEnv({ SLACK_CLIENT_ID: "123.456", SLACK_CLIENT_SECRET: "secret", SLACK_API_URL: "http://127.0.0.1:4100/api/" }));
    expect(provider).not.toBeNull();
    expect(provider!.id).toBe("slack");
    expect(provider!.issuer).toBe("http://127.0.0.1:4100");
    expect(provider!.jwks_endpoint).toBe("http://127.0.0.1:4100/openid/connect/keys");
    expect(provider!.authorization).toEqual({ url: "http://127.0.0.1:4100/openid/connect/authorize", params: { scope: "openid email profile" } });
    expect(provider!.token).toBe("http://127.0.0.1:4100/api/openid.connect.token");
    expect(provider!.userinfo).toBe("http://127.0.0.1:4100/api/openid.connect.userInfo");
    expect(provider!.idToken).toBe(true);
    expect(provider!.checks).toEqual(["state", "nonce"]);
    expect(provider!.clientId).toBe("123.456");
    expect(provider!.clientSecret).toBe("secret");
  });

  it("maps ID token claims to a next-auth profile", async () => {
    const provider = slackSignInProvider(parseEnv({ SLACK_CLIENT_ID: "123.456", SLACK_CLIENT_SECRET: "secret" }))!;
    const claims = {
      sub: "U0ROSA0001",
      email: "rosa.responder@example.com",
      email_verified: true,
      name: "Rosa Responder",
      picture: "https://example.com/rosa.png",
      "https://slack.com/team_id": "T0SANDBOX1",
      "https://slack.com/user_id": "U0ROSA0001",
    };
    expect(await provider.profile(claims, {})).toEqual({ id: "U0ROSA0001", email: "rosa.responder@example.com", name: "Rosa Responder", image: "https://example.com/rosa.png" });
  });
});
