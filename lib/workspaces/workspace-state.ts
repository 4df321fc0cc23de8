/**
 * Status reasons of workspaces and the test for a removed one. A removed workspace keeps its row
 * while extensions or incident messages refer to it, with an empty token so nothing can use it.
 */

/** The stored token of a workspace removed from Switchboard: there is none. */
export const REMOVED_WORKSPACE_TOKEN = "";

export function isRemovedWorkspace(workspace: { botTokenEncrypted: string }): boolean {
  return workspace.botTokenEncrypted === REMOVED_WORKSPACE_TOKEN;
}

/** Formats a date as "2026-12-04 21:30 UTC", because stored reasons are read by admins in any time zone. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function uninstalledReason(at: Date): string {
  return `The app was uninstalled from Slack on ${formatUtc(at)}. Install it again to resume delivery.`;
}

export function tokenRevokedReason(at: Date): string {
  return `Slack revoked the bot token on ${formatUtc(at)}. Install the app again to resume delivery.`;
}

export function removedReason(input: { by: string; at: Date }): string {
  return `Removed from Switchboard by ${input.by} on ${formatUtc(input.at)}. Install the app into this workspace again to map it.`;
}

/** Returns the reason shown on each extension of a removed workspace. */
export function extensionDisabledReason(workspaceName: string): string {
  return `Workspace ${workspaceName} was removed from Switchboard`;
}
