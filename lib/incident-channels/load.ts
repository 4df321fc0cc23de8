import type { Incident, PrismaClient, SlackWorkspace } from "../db/generated/client";
import { AppError } from "../errors";

/** Loads an incident and a workspace to set its channel in; the workspace must be active. */
export async function loadIncidentAndWorkspace(
  prisma: PrismaClient,
  input: { incidentId: string; workspaceId: string },
): Promise<{ incident: Incident; workspace: SlackWorkspace }> {
  const [incident, workspace] = await Promise.all([
    prisma.incident.findUnique({ where: { id: input.incidentId } }),
    prisma.slackWorkspace.findUnique({ where: { id: input.workspaceId } }),
  ]);
  if (!incident) throw new AppError("not_found", "Switchboard has no such incident. It may have been removed; reload the incident list.");
  if (!workspace) throw new AppError("not_found", "That Slack workspace is not mapped to Switchboard. Choose one of the mapped workspaces.", { workspaceId: "Choose a mapped workspace." });
  if (workspace.status !== "active") {
    throw new AppError(
      "conflict",
      `The Slack workspace ${workspace.name} is inactive${workspace.statusReason ? ` (${workspace.statusReason})` : ""}. Install the app in it again from Slack Workspace Mapping, or choose another workspace.`,
      { workspaceId: "This workspace is inactive." },
    );
  }
  return { incident, workspace };
}
