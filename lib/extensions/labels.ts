import type { ExtensionStatus, ExtensionType } from "../db/generated/enums";
import { UPDATE_KINDS } from "../config-file/schema";

// Labels and small helpers that both server code and client components use.

export type UpdateKind = (typeof UPDATE_KINDS)[number];

/** Labels of the update kinds as PagerDuty's extension form shows them. */
export const UPDATE_LABELS: Record<UpdateKind, string> = {
  escalate: "Escalate",
  resolve: "Resolves",
  acknowledge: "Acknowledgements",
  reassign: "Reassign",
  notes: "Notes",
};

export const EXTENSION_TYPE_LABELS: Record<ExtensionType, string> = {
  slack_v2: "Slack V2",
  slack_v1: "Slack V1 (legacy)",
};

export const EXTENSION_STATUS_LABELS: Record<ExtensionStatus, string> = {
  working: "Working",
  needs_attention: "Needs attention",
  disabled: "Disabled",
};

/** Builds the name PagerDuty suggests for a new Slack V2 extension: `SlackV2-<Service-Name>`, spaces as hyphens. */
export function defaultExtensionName(serviceName: string): string {
  return `SlackV2-${serviceName.trim().replace(/\s+/g, "-")}`;
}

export { UPDATE_KINDS };
