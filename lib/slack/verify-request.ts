import type { Logger } from "pino";
import { verifySlackRequest, type VerifySlackRequestInput } from "./verify-signature";

export interface SlackRejection {
  status: 401;
  code: "signing_secret_not_configured" | "invalid_signature";
  message: string;
}

/**
 * Verifies a request from Slack and logs why one is rejected. Returns the 401 to send, or null when
 * the request verified. `kind` names the request in the log, for example "command".
 */
export function rejectUnverifiedSlackRequest(input: VerifySlackRequestInput, log: Logger, kind: string): SlackRejection | null {
  const verification = verifySlackRequest(input);
  if (verification.ok) return null;
  if (verification.reason === "missing_secret") {
    log.error(`Slack ${kind} rejected: SLACK_SIGNING_SECRET is not set, so no Slack request can be verified`);
    return { status: 401, code: "signing_secret_not_configured", message: "Switchboard has no Slack signing secret configured, so it accepts no Slack requests." };
  }
  log.warn({ reason: verification.reason }, `Slack ${kind} rejected: signature did not verify`);
  return { status: 401, code: "invalid_signature", message: `X-Slack-Signature did not verify (${verification.reason}).` };
}
