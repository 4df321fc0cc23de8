import { z } from "zod";

/** The part of a successful oauth.v2.access response that Switchboard keeps. */
export interface SlackInstallation {
  teamId: string;
  teamName: string;
  botUserId: string;
  appId: string;
  /** The xoxb- bot token: encrypt it before storing, and never log it. */
  botToken: string;
  scopes: string[];
}

export type ExchangeResult =
  | { ok: true; installation: SlackInstallation }
  /** Slack returned ok:false, for example invalid_code or bad_client_secret. */
  | { ok: false; reason: "slack_error"; slackError: string }
  | { ok: false; reason: "unreachable" | "invalid_response" | "enterprise_install"; detail: string };

const successSchema = z.object({
  ok: z.literal(true),
  access_token: z.string().startsWith("xoxb-"),
  token_type: z.literal("bot"),
  scope: z.string(),
  bot_user_id: z.string().min(1),
  app_id: z.string().min(1),
  team: z.object({ id: z.string().min(1), name: z.string() }).nullish(),
  is_enterprise_install: z.boolean().optional(),
});

const failureSchema = z.object({ ok: z.literal(false), error: z.string().min(1) });

const EXCHANGE_TIMEOUT_MS = 10_000;

/**
 * Exchanges an install `code` for the bot token with oauth.v2.access, sending the client id and
 * secret by HTTP Basic as Slack recommends. Returns Slack's error name (invalid_code,
 * bad_redirect_uri, bad_client_secret, …) rather than throwing, so the caller can explain it.
 */
export async function exchangeInstallCode(input: {
  slackApiUrl: string;
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
}): Promise<ExchangeResult> {
  const credentials = Buffer.from(`${input.clientId}:${input.clientSecret}`, "utf8").toString("base64");
  let response: Response;
  try {
    response = await fetch(new URL("oauth.v2.access", input.slackApiUrl), {
      method: "POST",
      headers: { Authorization: `Basic ${credentials}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ code: input.code, redirect_uri: input.redirectUri, grant_type: "authorization_code" }).toString(),
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, reason: "unreachable", detail: error instanceof Error ? error.message : String(error) };
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, reason: "invalid_response", detail: `oauth.v2.access returned HTTP ${response.status} without a JSON body` };
  }

  const failure = failureSchema.safeParse(body);
  if (failure.success) return { ok: false, reason: "slack_error", slackError: failure.data.error };
  const success = successSchema.safeParse(body);
  if (!success.success) {
    return { ok: false, reason: "invalid_response", detail: `oauth.v2.access returned HTTP ${response.status} without a bot token: ${z.prettifyError(success.error)}` };
  }
  const data = success.data;
  if (data.is_enterprise_install || !data.team) {
    return { ok: false, reason: "enterprise_install", detail: "The app was installed for a whole Enterprise Grid organisation, which Switchboard does not support" };
  }
  return {
    ok: true,
    installation: {
      teamId: data.team.id,
      teamName: data.team.name,
      botUserId: data.bot_user_id,
      appId: data.app_id,
      botToken: data.access_token,
      scopes: data.scope.split(",").map((scope) => scope.trim()).filter(Boolean),
    },
  };
}
