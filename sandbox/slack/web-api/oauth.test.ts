import { createPublicKey, verify, type JsonWebKey } from "node:crypto";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, silentSlackLogger, startTestFake, type TestFake } from "../test-support";

let sandbox: TestFake;
let anonymous: WebClient;

const OLIVIA = "U0OLIVIA01";
const ROSA = "U0ROSA0001";

function callbackUrl(): string {
  return `${sandbox.app.url}/api/slack/oauth/callback`;
}

async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { error?: string } }).data;
    if (data?.error) return data.error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** Submits the consent form as a browser would and returns the redirect's query parameters. */
async function decide(flow: "oauth" | "openid", fields: Record<string, string>): Promise<URLSearchParams> {
  const path = flow === "oauth" ? "/oauth/v2/authorize" : "/openid/connect/authorize";
  const response = await fetch(`${sandbox.fake.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: callbackUrl(), ...fields }).toString(),
  });
  expect(response.status).toBe(302);
  const location = new URL(String(response.headers.get("location")));
  expect(`${location.origin}${location.pathname}`).toBe(callbackUrl());
  return location.searchParams;
}

beforeAll(async () => {
  sandbox = await startTestFake();
  anonymous = new WebClient(undefined, { slackApiUrl: sandbox.fake.apiUrl, retryConfig: { retries: 0 }, logger: silentSlackLogger });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await sandbox.control("/reset", {});
});

describe("OAuth v2 install", () => {
  it("shows the app and its scopes on the authorize page", async () => {
    const query = new URLSearchParams({ client_id: CLIENT_ID, scope: "chat:write,commands", redirect_uri: callbackUrl(), state: "s1" });
    const response = await fetch(`${sandbox.fake.url}/oauth/v2/authorize?${query}`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain("switchboard is requesting permission to access the Sandbox Workspace Slack workspace");
    expect(html).toContain("<code>chat:write</code>");
    expect(html).toContain('<button type="submit" name="decision" value="allow" class="sb-button sb-button--primary">Allow</button>');
  });

  it("refuses redirect URIs off this machine", async () => {
    const query = new URLSearchParams({ client_id: CLIENT_ID, scope: "chat:write", redirect_uri: "https://example.com/callback" });
    const response = await fetch(`${sandbox.fake.url}/oauth/v2/authorize?${query}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("bad_redirect_uri");
  });

  it("redirects Cancel with access_denied", async () => {
    const params = await decide("oauth", { scope: "chat:write", state: "cancel-state", decision: "cancel" });
    expect(params.get("error")).toBe("access_denied");
    expect(params.get("state")).toBe("cancel-state");
    expect(params.get("code")).toBeNull();
  });

  it("exchanges the code for a working bot token with HTTP Basic", async () => {
    const params = await decide("oauth", { scope: "chat:write,commands", user_scope: "users:read", state: "xyz", decision: "allow", user_id: OLIVIA });
    expect(params.get("state")).toBe("xyz");
    const code = String(params.get("code"));

    const result = await anonymous.oauth.v2.access({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, redirect_uri: callbackUrl() });
    expect(result).toMatchObject({
      ok: true,
      token_type: "bot",
      scope: "chat:write,commands",
      bot_user_id: "U0SWITCHBD",
      app_id: "A0SWITCHBD",
      team: { id: "T0SANDBOX1", name: "Sandbox Workspace" },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: OLIVIA, scope: "users:read", token_type: "user", access_token: expect.stringMatching(/^xoxp-/) },
    });
    const bot = new WebClient(String(result.access_token), { slackApiUrl: sandbox.fake.apiUrl, retryConfig: { retries: 0 } });
    expect((await bot.auth.test()).user_id).toBe("U0SWITCHBD");

    expect(await slackError(anonymous.oauth.v2.access({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, redirect_uri: callbackUrl() }))).toBe("invalid_code");
  });

  it("accepts client credentials in an Authorization: Basic header", async () => {
    const params = await decide("oauth", { scope: "chat:write", decision: "allow", user_id: OLIVIA });
    const response = await fetch(`${sandbox.fake.apiUrl}oauth.v2.access`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`,
      },
      body: new URLSearchParams({ code: String(params.get("code")), redirect_uri: callbackUrl() }).toString(),
    });
    expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
  });

  it.each([
    [{ client_id: "9999.9999", client_secret: CLIENT_SECRET }, "invalid_client_id"],
    [{ client_id: CLIENT_ID, client_secret: "wrong" }, "bad_client_secret"],
  ])("rejects bad client credentials", async (credentials, expected) => {
    const params = await decide("oauth", { scope: "chat:write", decision: "allow", user_id: OLIVIA });
    expect(await slackError(anonymous.oauth.v2.access({ ...credentials, code: String(params.get("code")), redirect_uri: callbackUrl() }))).toBe(expected);
  });

  it("rejects a redirect_uri that differs from the authorize request", async () => {
    const params = await decide("oauth", { scope: "chat:write", decision: "allow", user_id: OLIVIA });
    const call = anonymous.oauth.v2.access({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code: String(params.get("code")), redirect_uri: `${sandbox.app.url}/other` });
    expect(await slackError(call)).toBe("bad_redirect_uri");
  });

  it("keeps the seeded token working after an install", async () => {
    const params = await decide("oauth", { scope: "chat:write", decision: "allow", user_id: OLIVIA });
    await anonymous.oauth.v2.access({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code: String(params.get("code")), redirect_uri: callbackUrl() });
    const seeded = new WebClient(BOT_TOKEN, { slackApiUrl: sandbox.fake.apiUrl, retryConfig: { retries: 0 } });
    expect((await seeded.auth.test()).ok).toBe(true);
  });
});

describe("Sign in with Slack", () => {
  it("issues a signed ID token and answers userInfo", async () => {
    const params = await decide("openid", { scope: "openid email profile", state: "login", nonce: "n-1", decision: "allow", user_id: ROSA });
    const token = await anonymous.openid.connect.token({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      code: String(params.get("code")),
      redirect_uri: callbackUrl(),
    });
    expect(token.ok).toBe(true);
    expect(token.token_type).toBe("Bearer");

    const [header = "", payload = "", signature = ""] = String(token.id_token).split(".");
    const keys = (await (await fetch(`${sandbox.fake.url}/openid/connect/keys`)).json()) as { keys: JsonWebKey[] };
    const publicKey = createPublicKey({ key: keys.keys[0]!, format: "jwk" });
    expect(verify("sha256", Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, "base64url"))).toBe(true);
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: sandbox.fake.url,
      aud: CLIENT_ID,
      sub: ROSA,
      nonce: "n-1",
      email: "rosa.responder@example.com",
      "https://slack.com/team_id": "T0SANDBOX1",
    });

    const user = new WebClient(String(token.access_token), { slackApiUrl: sandbox.fake.apiUrl, retryConfig: { retries: 0 } });
    const info = await user.openid.connect.userInfo();
    expect(info).toMatchObject({ ok: true, sub: ROSA, email: "rosa.responder@example.com", name: "Rosa Responder" });
  });

  it("refuses userInfo for a bot token", async () => {
    const bot = new WebClient(BOT_TOKEN, { slackApiUrl: sandbox.fake.apiUrl, retryConfig: { retries: 0 }, logger: silentSlackLogger });
    expect(await slackError(bot.openid.connect.userInfo())).toBe("not_allowed_token_type");
  });

  it("publishes a discovery document that points at the fake", async () => {
    const document = (await (await fetch(`${sandbox.fake.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(document.issuer).toBe(sandbox.fake.url);
    expect(document.token_endpoint).toBe(`${sandbox.fake.url}/api/openid.connect.token`);
    expect(document.jwks_uri).toBe(`${sandbox.fake.url}/openid/connect/keys`);
  });
});
