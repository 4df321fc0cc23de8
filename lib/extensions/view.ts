import type { ExtensionStatus, ExtensionType, SlackExtension, SlackWorkspace } from "../db/generated/client";
import { MANAGED_BY_CONFIG } from "../config-file/apply";
import { UPDATE_KINDS, type UpdateKind } from "./labels";

/** An extension as the admin pages and the JSON API show it. */
export interface ExtensionView {
  id: string;
  name: string;
  type: ExtensionType;
  service: { id: string; name: string | null };
  workspace: { id: string; name: string; teamId: string; status: SlackWorkspace["status"] };
  channel: { id: string; name: string; isPrivate: boolean };
  updates: UpdateKind[];
  status: ExtensionStatus;
  /** The problem and its fix, or null while the extension works. */
  statusReason: string | null;
  managedByConfig: boolean;
  createdAt: string;
  updatedAt: string;
}

type ExtensionRow = SlackExtension & { workspace: Pick<SlackWorkspace, "id" | "name" | "slackTeamId" | "status"> };

export function toExtensionView(row: ExtensionRow): ExtensionView {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    service: { id: row.pagerdutyServiceId, name: row.pagerdutyServiceName },
    workspace: { id: row.workspace.id, name: row.workspace.name, teamId: row.workspace.slackTeamId, status: row.workspace.status },
    channel: { id: row.slackChannelId, name: row.slackChannelName, isPrivate: row.slackChannelIsPrivate },
    updates: updatesOf(row),
    status: row.status,
    statusReason: row.statusReason,
    managedByConfig: row.managedBy === MANAGED_BY_CONFIG,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function updatesOf(row: Pick<SlackExtension, "notifyEscalate" | "notifyResolve" | "notifyAcknowledge" | "notifyReassign" | "notifyNotes">): UpdateKind[] {
  const enabled: Record<UpdateKind, boolean> = {
    escalate: row.notifyEscalate,
    resolve: row.notifyResolve,
    acknowledge: row.notifyAcknowledge,
    reassign: row.notifyReassign,
    notes: row.notifyNotes,
  };
  return UPDATE_KINDS.filter((kind) => enabled[kind]);
}

/** Converts a list of update kinds into the database's toggle columns. */
export function togglesFor(updates: readonly UpdateKind[]) {
  return {
    notifyEscalate: updates.includes("escalate"),
    notifyResolve: updates.includes("resolve"),
    notifyAcknowledge: updates.includes("acknowledge"),
    notifyReassign: updates.includes("reassign"),
    notifyNotes: updates.includes("notes"),
  };
}

export const WORKSPACE_SELECT = { select: { id: true, name: true, slackTeamId: true, status: true } } as const;
