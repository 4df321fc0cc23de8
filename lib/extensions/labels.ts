import type { ExtensionStatus, ExtensionType } from "../db/generated/enums";

// Labels and small helpers that both server code and client components use. This module imports
// no runtime library, so that client components can use it without shipping zod to the browser.

/** The updates an extension can send to Slack, in the order PagerDuty's extension form lists them. */
export const UPDATE_KINDS = ["escalate", "resolve", "acknowledge", "reassign", "notes"] as const;

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

