import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ID, CLIENT_SECRET, startTestFake, type TestFake } from "../../../sandbox/slack/test-support";
import { exchangeInstallCode } from "./exchange-code";
import { buildInstallUrl, installRedirectUri } from "./install-url";
import { BOT_SCOPE_NAMES } from "./scopes";

let sandbox: TestFake;
let redirectUri: string;

beforeAll(async () => {
  sandbox = await startTestFake();
  redirectUri = installRedirectUri(sandbox.app.url);
});

afterAll(async () => {
  await sandbox.close();
});

/** Opens the fake's consent page from the install URL and presses a button, as a browser would. */
async function consent(decision: "allow" | "cancel"): Promise<URLSearchParams> {
  const installUrl = new URL(buildInstallUrl({ slackApiUrl: sandbox.fake.apiUrl, clientId: CLIENT_ID, redirectUri, state: "state-1" }));
  const page = await fetch(installUrl);
  expect(page.status).toBe(200);
  const response = await fetch(new URL("/oauth/v2/authorize", sandbox.fake.url), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...Object.fromEntries(installUrl.searchParams), user_id: "U0OLIVIA01", decision }).toString(),
  });
  expect(response.status).toBe(302);
  return new URL(String(response.headers.get("location"))).searchParams;
}

function exchange(code: string, overrides: Partial<Parameters<typeof exchangeInstallCode>[0]> = {}) {
  return exchangeInstallCode({ slackApiUrl: sandbox.fake.apiUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, code, redirectUri, ...overrides });
}

describe("buildInstallUrl", () => {
  it("points at the authorize page on the Web API's origin", () => {
    const url = new URL(buildInstallUrl({ slackApiUrl: "https://slack.com/api/", clientId: "123.456", redirectUri: "https://sb.example.com/api/slack/oauth/callback", state: "s" }));
    expect(`${url.origin}${url.pathname}`).toBe("https://slack.com/oauth/v2/authorize");
    expect(url.searchParams.get("client_id")).toBe("123.456");
    expect(url.searchParams.get("scope")).toBe(BOT_SCOPE_NAMES.join(","));
    expect(url.searchParams.get("redirect_uri")).toBe("https://sb.example.com/api/slack/oauth/callback");
    expect(url.searchParams.get("state")).toBe("s");
  });
});

describe("exchangeInstallCode", () => {
  it("returns the installation for a code granted on the consent page", async () => {
    const params = await consent("allow");
    const result = await exchange(params.get("code")!);
    expect(result).toEqual({
      ok: true,
      installation: {
        teamId: "T0SANDBOX1",
        teamName: "Sandbox Workspace",
        botUserId: "U0SWITCHBD",
        appId: "A0SWITCHBD",
        botToken: expect.stringMatching(/^xoxb-/),
        scopes: [...BOT_SCOPE_NAMES],
      },
    });
  });

  it("returns invalid_code for a code used twice", async () => {
    const code = (await consent("allow")).get("code")!;
    expect((await exchange(code)).ok).toBe(true);
    expect(await exchange(code)).toEqual({ ok: false, reason: "slack_error", slackError: "invalid_code" });
  });

  it("returns invalid_code for a made-up code", async () => {
    expect(await exchange("123.456.made-up")).toEqual({ ok: false, reason: "slack_error", slackError: "invalid_code" });
  });

  it("returns bad_client_secret for a wrong secret", async () => {
    const code = (await consent("allow")).get("code")!;
    expect(await exchange(code, { clientSecret: "wrong" })).toEqual({ ok: false, reason: "slack_error", slackError: "bad_client_secret" });
  });

  it("returns bad_redirect_uri when the redirect URL differs", async () => {
    const code = (await consent("allow")).get("code")!;
    expect(await exchange(code, { redirectUri: `${sandbox.app.url}/elsewhere` })).toEqual({ ok: false, reason: "slack_error", slackError: "bad_redirect_uri" });
  });

  it("sends no code when consent is cancelled", async () => {
    const params = await consent("cancel");
    expect(params.get("error")).toBe("access_denied");
    expect(params.get("code")).toBeNull();
  });

  describe("against a server that is not Slack", () => {
    let server: Server;
    let url: string;
    let reply: { status: number; body: string } = { status: 200, body: "{}" };
    const received: { authorization: string | undefined; body: string }[] = [];

    beforeAll(async () => {
      server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
          received.push({ authorization: request.headers.authorization, body: Buffer.concat(chunks).toString("utf8") });
          response.writeHead(reply.status, { "Content-Type": "application/json" });
          response.end(reply.body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("sends the client credentials by HTTP Basic, not in the form", async () => {
      reply = { status: 200, body: JSON.stringify({ ok: false, error: "invalid_code" }) };
      received.length = 0;
      await exchange("the-code", { slackApiUrl: url });
      expect(received).toHaveLength(1);
      expect(received[0]!.authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`);
      const form = new URLSearchParams(received[0]!.body);
      expect(form.get("code")).toBe("the-code");
      expect(form.get("redirect_uri")).toBe(redirectUri);
      expect(form.has("client_secret")).toBe(false);
    });

    it("reports a body that is not JSON", async () => {
      reply = { status: 502, body: "<html>Bad gateway</html>" };
      expect(await exchange("code", { slackApiUrl: url })).toMatchObject({ ok: false, reason: "invalid_response" });
    });

    it("reports an answer without a bot token", async () => {
      reply = { status: 200, body: JSON.stringify({ ok: true, access_token: "xoxp-user-only", token_type: "user", scope: "", app_id: "A1", team: { id: "T1", name: "x" } }) };
      expect(await exchange("code", { slackApiUrl: url })).toMatchObject({ ok: false, reason: "invalid_response" });
    });

    it("refuses an organisation-wide install", async () => {
      reply = {
        status: 200,
        body: JSON.stringify({ ok: true, access_token: "xoxb-1", token_type: "bot", scope: "chat:write", bot_user_id: "U1", app_id: "A1", team: null, enterprise: { id: "E1", name: "Org" }, is_enterprise_install: true }),
      };
      expect(await exchange("code", { slackApiUrl: url })).toMatchObject({ ok: false, reason: "enterprise_install" });
    });

    it("reports a server that does not answer", async () => {
      expect(await exchange("code", { slackApiUrl: "http://127.0.0.1:1/api/" })).toMatchObject({ ok: false, reason: "unreachable" });
    });
  });
});
