import { z } from "zod";

/**
 * Environment variables that Switchboard reads. None is required to start; a variable that is set
 * but malformed stops the start with a message naming it. An empty value counts as unset.
 */
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

function httpUrl(name: string) {
  return optionalString.pipe(
    z
      .string()
      .refine((value) => isHttpUrl(value), { message: `${name} must be an http:// or https:// URL` })
      .optional(),
  );
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const envSchema = z.object({
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .refine((value) => /^postgres(ql)?:\/\//.test(value), {
        message: "DATABASE_URL must be a postgresql:// connection string",
      })
      .optional(),
  ),
  APP_URL: httpUrl("APP_URL"),
  PORT: optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, "PORT must be a whole number")
      .transform(Number)
      .refine((port) => port >= 1 && port <= 65535, "PORT must be between 1 and 65535")
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_API_URL: httpUrl("SLACK_API_URL"),
  PAGERDUTY_API_URL: httpUrl("PAGERDUTY_API_URL"),
  PAGERDUTY_API_TOKEN: optionalString,
  PAGERDUTY_WEBHOOK_SECRET: optionalString,
  ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .refine((value) => decodeKey(value) !== null, {
        message: "ENCRYPTION_KEY must be 32 bytes encoded as base64 (for example: openssl rand -base64 32)",
      })
      .optional(),
  ),
  NEXTAUTH_URL: httpUrl("NEXTAUTH_URL"),
  NEXTAUTH_SECRET: optionalString,
  SWITCHBOARD_CONFIG: optionalString,
  SWITCHBOARD_DATA_DIR: optionalString,
  LOG_LEVEL: optionalString.pipe(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional()),
});

export interface AppEnv {
  databaseUrl: string | undefined;
  port: number;
  appUrl: string;
  slackSigningSecret: string | undefined;
  slackClientId: string | undefined;
  slackClientSecret: string | undefined;
  /** Base URL of the Slack Web API, always with a trailing slash. */
  slackApiUrl: string;
  /** Base URL of the PagerDuty REST API, without a trailing slash. */
  pagerdutyApiUrl: string;
  pagerdutyApiToken: string | undefined;
  pagerdutyWebhookSecret: string | undefined;
  encryptionKey: Buffer | undefined;
  nextAuthUrl: string;
  nextAuthSecret: string | undefined;
  configFile: string | undefined;
  dataDir: string;
  logLevel: string;
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "EnvError";
  }
}

function decodeKey(value: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  const key = Buffer.from(value, "base64");
  return key.length === 32 ? key : null;
}

/** Parses and validates the environment; throws EnvError naming every malformed variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): AppEnv {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? "environment");
      return issue.message.includes(variable) ? issue.message : `${variable}: ${issue.message}`;
    });
    throw new EnvError(problems);
  }
  const env = result.data;
  const port = env.PORT ?? 3000;
  const appUrl = stripTrailingSlash(env.APP_URL ?? `http://127.0.0.1:${port}`);
  return {
    databaseUrl: env.DATABASE_URL,
    port,
    appUrl,
    slackSigningSecret: env.SLACK_SIGNING_SECRET,
    slackClientId: env.SLACK_CLIENT_ID,
    slackClientSecret: env.SLACK_CLIENT_SECRET,
    slackApiUrl: withTrailingSlash(env.SLACK_API_URL ?? "https://slack.com/api/"),
    pagerdutyApiUrl: stripTrailingSlash(env.PAGERDUTY_API_URL ?? "https://api.pagerduty.com"),
    pagerdutyApiToken: env.PAGERDUTY_API_TOKEN,
    pagerdutyWebhookSecret: env.PAGERDUTY_WEBHOOK_SECRET,
    encryptionKey: env.ENCRYPTION_KEY ? (decodeKey(env.ENCRYPTION_KEY) ?? undefined) : undefined,
    nextAuthUrl: stripTrailingSlash(env.NEXTAUTH_URL ?? appUrl),
    nextAuthSecret: env.NEXTAUTH_SECRET,
    configFile: env.SWITCHBOARD_CONFIG,
    dataDir: env.SWITCHBOARD_DATA_DIR ?? ".data",
    logLevel: env.LOG_LEVEL ?? "info",
  };
}

let cached: AppEnv | undefined;

/** The validated environment of this process, parsed once. */
export function getEnv(): AppEnv {
  cached ??= parseEnv();
  return cached;
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
