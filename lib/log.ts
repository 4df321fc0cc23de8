import pino, { type Logger } from "pino";

/**
 * The process-wide structured logger. Tokens, secrets and signatures are redacted wherever they
 * appear under these keys, so a logged request or error never carries them.
 */
export const logger: Logger = pino({
  level: process.env.LOG_LEVEL || "info",
  base: { app: "switchboard" },
  redact: {
    paths: [
      "token",
      "*.token",
      "botToken",
      "*.botToken",
      "authorization",
      "*.authorization",
      "headers.authorization",
      "*.headers.authorization",
      "secret",
      "*.secret",
      "signingSecret",
      "*.signingSecret",
      "password",
      "*.password",
      "headers[\"x-slack-signature\"]",
      "headers[\"x-pagerduty-signature\"]",
    ],
    censor: "[redacted]",
  },
});

/** A child logger for one part of the app, for example `scopedLogger("pagerduty-webhook")`. */
export function scopedLogger(scope: string, bindings: Record<string, unknown> = {}): Logger {
  return logger.child({ scope, ...bindings });
}
