import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { getEnv } from "../config/env";

/** Provider id of Sign in with Slack: the callback URL is /api/auth/callback/slack. */
export const SLACK_PROVIDER_ID = "slack";

export interface SlackOpenIdEndpoints {
  issuer: string;
  authorization: string;
  token: string;
  userinfo: string;
  jwks: string;
}

/**
 * Derives the Sign in with Slack (OpenID Connect) endpoints from the Slack Web API base URL. Slack
 * serves them on the API's origin (https://slack.com for https://slack.com/api/), and the fake Slack
 * serves the same paths on its own origin, which is also the `iss` of its ID tokens.
 */
export function slackOpenIdEndpoints(slackApiUrl: string): SlackOpenIdEndpoints {
  const origin = new URL(slackApiUrl).origin;
  return {
    issuer: origin,
    authorization: `${origin}/openid/connect/authorize`,
    token: `${origin}/api/openid.connect.token`,
    userinfo: `${origin}/api/openid.connect.userInfo`,
    jwks: `${origin}/openid/connect/keys`,
  };
}

/**
 * The claims of a Slack ID token that Switchboard reads. Slack puts the team and user ids under
 * namespaced claim names.
 */
export const slackIdTokenClaimsSchema = z.object({
  sub: z.string().min(1),
  email: z.string().trim().toLowerCase().email(),
  email_verified: z.boolean().optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
  "https://slack.com/team_id": z.string().min(1),
  "https://slack.com/user_id": z.string().min(1),
});

export type SlackIdTokenClaims = z.infer<typeof slackIdTokenClaimsSchema>;

/**
 * "Sign in with Slack" (OpenID Connect), available when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are
 * set. Returns null when no Slack app is configured. The ID token is verified (signature from the
 * JWKS, issuer, audience, expiry and nonce) and its claims become the profile, so no userinfo
 * request is needed.
 */
export function slackSignInProvider(env = getEnv()): OAuthConfig<SlackIdTokenClaims> | null {
  if (!env.slackClientId || !env.slackClientSecret) return null;
  const endpoints = slackOpenIdEndpoints(env.slackApiUrl);
  return {
    id: SLACK_PROVIDER_ID,
    name: "Slack",
    type: "oauth",
    issuer: endpoints.issuer,
    jwks_endpoint: endpoints.jwks,
    authorization: { url: endpoints.authorization, params: { scope: "openid email profile" } },
    token: endpoints.token,
    userinfo: endpoints.userinfo,
    idToken: true,
    // Slack's OpenID Connect does not support PKCE; state and nonce are both checked.
    checks: ["state", "nonce"],
    // Slack's openid.connect.token documents client_id and client_secret as form arguments.
    client: { token_endpoint_auth_method: "client_secret_post", id_token_signed_response_alg: "RS256" },
    clientId: env.slackClientId,
    clientSecret: env.slackClientSecret,
    profile(claims) {
      return { id: claims.sub, email: claims.email, name: claims.name ?? claims.email, image: claims.picture ?? null };
    },
  };
}
