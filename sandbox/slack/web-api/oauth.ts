import { sign } from "node:crypto";
import type { ServerContext } from "../context";
import { avatarUrl } from "../objects";
import { DEFAULT_BOT_SCOPES, randomHex, type AuthorizationCode, type JsonObject } from "../state";
import { BOT, TEAM, findMember } from "../workspace";
import { SlackApiError, type MethodCall } from "./core";

/** Authorization codes expire after ten minutes, as Slack's do. */
export const CODE_TTL_MS = 10 * 60 * 1000;

/** Client credentials from HTTP Basic (preferred by Slack) or from the form. */
function checkClient(call: MethodCall): string {
  const clientId = call.basicAuth?.clientId ?? call.args.string("client_id") ?? "";
  const clientSecret = call.basicAuth?.clientSecret ?? call.args.string("client_secret") ?? "";
  if (!clientId || clientId !== call.server.clientId) throw new SlackApiError("invalid_client_id");
  if (clientSecret !== call.server.clientSecret) throw new SlackApiError("bad_client_secret");
  return clientId;
}

function redeemCode(call: MethodCall, codes: Map<string, AuthorizationCode>, clientId: string): AuthorizationCode {
  const code = call.args.string("code") ?? "";
  const grant = codes.get(code);
  if (!grant || grant.used || grant.clientId !== clientId || call.server.nowMs() - grant.createdMs > CODE_TTL_MS) {
    throw new SlackApiError("invalid_code");
  }
  if (grant.redirectUri && call.args.string("redirect_uri") !== grant.redirectUri) throw new SlackApiError("bad_redirect_uri");
  grant.used = true;
  return grant;
}

function readGrantType(call: MethodCall): void {
  const grantType = call.args.string("grant_type");
  if (grantType && grantType !== "authorization_code") throw new SlackApiError("invalid_grant_type");
}

// POST /api/oauth.v2.access: exchanges an install code for a bot token (and a user token if asked).
export function oauthV2Access(call: MethodCall): JsonObject {
  const clientId = checkClient(call);
  readGrantType(call);
  const grant = redeemCode(call, call.server.state.oauthCodes, clientId);
  const { state } = call.server;

  const botScopes = grant.scopes.length > 0 ? grant.scopes : DEFAULT_BOT_SCOPES;
  const botToken = `xoxb-${TEAM.id.slice(1)}-${BOT.userId.slice(1)}-${randomHex(12)}`;
  state.tokens.set(botToken, { kind: "bot", userId: BOT.userId, scopes: botScopes, revoked: false });
  state.appInstalled = true;
  state.touch();

  const authedUser: JsonObject = { id: grant.userId };
  if (grant.userScopes.length > 0) {
    const userToken = `xoxp-${TEAM.id.slice(1)}-${grant.userId.slice(1)}-${randomHex(12)}`;
    state.tokens.set(userToken, { kind: "user", userId: grant.userId, scopes: grant.userScopes, revoked: false });
    Object.assign(authedUser, { scope: grant.userScopes.join(","), access_token: userToken, token_type: "user" });
  }
  // NOTE: the incoming-webhook scope is granted but no incoming_webhook object is returned.
  return {
    ok: true,
    app_id: BOT.appId,
    authed_user: authedUser,
    scope: botScopes.join(","),
    token_type: "bot",
    access_token: botToken,
    bot_user_id: BOT.userId,
    team: { id: TEAM.id, name: TEAM.name },
    enterprise: null,
    is_enterprise_install: false,
  };
}

function base64Url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** Signs an ID token with the fake's RSA key (RS256), published at /openid/connect/keys. */
export function signIdToken(server: ServerContext, claims: JsonObject): string {
  const header = base64Url(JSON.stringify({ typ: "JWT", alg: "RS256", kid: server.openidKey.kid }));
  const payload = base64Url(JSON.stringify(claims));
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), server.openidKey.privateKey);
  return `${header}.${payload}.${base64Url(signature)}`;
}

/** Returns the Sign in with Slack claims of a member, shared by the ID token and openid.connect.userInfo. */
function identityClaims(server: ServerContext, userId: string): JsonObject {
  const member = findMember(userId);
  if (!member) throw new SlackApiError("user_not_found");
  const [givenName = member.realName, ...rest] = member.realName.split(" ");
  return {
    sub: member.id,
    "https://slack.com/user_id": member.id,
    "https://slack.com/team_id": TEAM.id,
    email: member.email,
    email_verified: true,
    date_email_verified: 1_700_000_000,
    name: member.realName,
    picture: avatarUrl(server.origin, member.id, 512),
    given_name: givenName,
    family_name: rest.join(" "),
    locale: "en-US",
    "https://slack.com/team_name": TEAM.name,
    "https://slack.com/team_domain": TEAM.domain,
  };
}

// POST /api/openid.connect.token: exchanges a Sign in with Slack code for a user token and ID token.
export function openidConnectToken(call: MethodCall): JsonObject {
  const clientId = checkClient(call);
  readGrantType(call);
  const grant = redeemCode(call, call.server.state.openidCodes, clientId);
  const server = call.server;

  const accessToken = `xoxp-${TEAM.id.slice(1)}-${grant.userId.slice(1)}-${randomHex(12)}`;
  server.state.tokens.set(accessToken, { kind: "user", userId: grant.userId, scopes: grant.scopes, revoked: false });

  const nowSeconds = Math.floor(server.nowMs() / 1000);
  const idToken = signIdToken(server, {
    iss: server.origin,
    aud: clientId,
    exp: nowSeconds + 3600,
    iat: nowSeconds,
    auth_time: nowSeconds,
    ...(grant.nonce ? { nonce: grant.nonce } : {}),
    ...identityClaims(server, grant.userId),
  });
  return { ok: true, access_token: accessToken, token_type: "Bearer", id_token: idToken };
}

// POST /api/openid.connect.userInfo: the signed-in user's identity (user tokens only).
export function openidConnectUserInfo(call: MethodCall): JsonObject {
  const userId = call.token?.userId ?? "";
  return { ok: true, ...identityClaims(call.server, userId) };
}

/** Builds the discovery document at /.well-known/openid-configuration, pointing at the fake. */
export function openidConfiguration(origin: string): JsonObject {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/openid/connect/authorize`,
    token_endpoint: `${origin}/api/openid.connect.token`,
    userinfo_endpoint: `${origin}/api/openid.connect.userInfo`,
    jwks_uri: `${origin}/openid/connect/keys`,
    scopes_supported: ["openid", "profile", "email"],
    response_types_supported: ["code"],
    response_modes_supported: ["form_post"],
    grant_types_supported: ["authorization_code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    claims_supported: ["sub", "auth_time", "iss", "email", "email_verified", "name", "picture", "given_name", "family_name", "locale"],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: true,
    token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
  };
}
