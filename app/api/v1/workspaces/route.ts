import { apiKeyRoute } from "@/lib/api-keys/api-route";
import { getPrisma } from "@/lib/db/client";
import { listWorkspaces } from "@/lib/extensions/workspaces";

export const dynamic = "force-dynamic";

// GET /api/v1/workspaces: every mapped Slack workspace (never its token).
export async function GET(request: Request): Promise<Response> {
  return apiKeyRoute(request, async () => Response.json({ workspaces: await listWorkspaces({ prisma: getPrisma() }) }));
}
