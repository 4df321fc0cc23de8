import type { Logger } from "pino";
import type { AppEnv } from "../../config/env";
import type { PrismaClient } from "../../db/generated/client";
import { AppError } from "../../errors";
import { saveWorkspaceInstallation } from "../../workspaces/save-installation";
import { exchangeInstallCode } from "./exchange-code";
import type { InstallProblem } from "./install-problems";
import { buildInstallUrl, installRedirectUri } from "./install-url";
import { consumeOAuthState, createOAuthState, SLACK_INSTALL_PURPOSE } from "./state";

type InstallEnv = Pick<AppEnv, "appUrl" | "slackApiUrl" | "slackClientId" | "slackClientSecret" | "encryptionKey">;

/** The admin who installs: the audit log and the mapping screen name them. */
export interface Installer {
  id: string;
  email: string;
}

export type InstallOutcome =
  | { ok: true; workspaceId: string; teamName: string; reinstalled: boolean }
  | { ok: false; problem: InstallProblem; slackError?: string };

export function isSlackAppConfigured(env: Pick<AppEnv, "slackClientId" | "slackClientSecret">): boolean {
  return Boolean(env.slackClientId && env.slackClientSecret);
}

/**
 * Starts "Install App into Workspace": stores a fresh `state` bound to the admin and returns Slack's
 * authorize URL to redirect to. Throws AppError("not_configured") without a Slack client ID and secret.
 */
export async function startSlackInstall(input: { prisma: PrismaClient; env: InstallEnv; installer: Installer; now?: Date }): Promise<string> {
  const { env } = input;
  if (!env.slackClientId || !env.slackClientSecret) {
    throw new AppError("not_configured", "No Slack app is configured: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET and restart Switchboard.");
  }
  const { state } = await createOAuthState({
    prisma: input.prisma,
    userId: input.installer.id,
    purpose: SLACK_INSTALL_PURPOSE,
    returnTo: "/workspaces",
    now: input.now,
  });
  return buildInstallUrl({ slackApiUrl: env.slackApiUrl, clientId: env.slackClientId, redirectUri: installRedirectUri(env.appUrl), state });
}

/**
 * Finishes an install when Slack redirects back: checks the `state`, handles a denied consent,
 * exchanges the code for the bot token and maps the workspace. Every failure is returned as a
 * problem for the result page; nothing is stored unless the whole exchange succeeded.
 */
export async function completeSlackInstall(input: {
  prisma: PrismaClient;
  env: InstallEnv;
  installer: Installer;
  params: { code: string | null; state: string | null; error: string | null };
  log: Logger;
  now?: Date;
}): Promise<InstallOutcome> {
  const { env, params, log } = input;
  const fail = (problem: InstallProblem, slackError?: string): InstallOutcome => {
    log.warn({ problem, slackError, userId: input.installer.id }, "Slack install did not finish");
    return slackError ? { ok: false, problem, slackError } : { ok: false, problem };
  };
  if (!env.slackClientId || !env.slackClientSecret) return fail("not_configured");

  const state = await consumeOAuthState({ prisma: input.prisma, state: params.state, userId: input.installer.id, purpose: SLACK_INSTALL_PURPOSE, now: input.now });
  if (!state.ok) return fail(state.problem);
  if (params.error) return params.error === "access_denied" ? fail("access_denied") : fail("consent_error", params.error);
  if (!params.code) return fail("missing_code");

  const exchange = await exchangeInstallCode({
    slackApiUrl: env.slackApiUrl,
    clientId: env.slackClientId,
    clientSecret: env.slackClientSecret,
    code: params.code,
    redirectUri: installRedirectUri(env.appUrl),
  });
  if (!exchange.ok) {
    if (exchange.reason === "slack_error") return fail("slack_error", exchange.slackError);
    log.warn({ detail: exchange.detail }, "oauth.v2.access failed");
    return fail(exchange.reason === "unreachable" ? "slack_unreachable" : exchange.reason);
  }
  if (!env.encryptionKey) throw new Error("ENCRYPTION_KEY is not set, so the bot token cannot be stored encrypted: set it to 32 random bytes in base64 (openssl rand -base64 32)");

  try {
    const saved = await saveWorkspaceInstallation({
      prisma: input.prisma,
      installation: exchange.installation,
      actor: { userId: input.installer.id, label: input.installer.email },
      encryptionKey: env.encryptionKey,
      now: input.now,
    });
    log.info(
      { workspaceId: saved.workspace.id, teamId: saved.workspace.slackTeamId, reinstalled: saved.reinstalled, resent: saved.resent, userId: input.installer.id },
      "Slack workspace installed",
    );
    return { ok: true, workspaceId: saved.workspace.id, teamName: saved.workspace.name, reinstalled: saved.reinstalled };
  } catch (error) {
    if (error instanceof AppError && error.code === "managed_by_config") return fail("managed_by_config");
    throw error;
  }
}
