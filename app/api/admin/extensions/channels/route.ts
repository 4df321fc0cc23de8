import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { parseInput } from "@/lib/extensions/parse-input";
import { jsonRoute, searchParamsOf } from "@/lib/extensions/route-helpers";
import { searchSlackChannels } from "@/lib/extensions/slack-channels";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  workspaceId: z.string().trim().min(1, "is required"),
  query: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  refresh: z.enum(["0", "1"]).optional(),
});

// GET /api/admin/extensions/channels: Slack channels of ?workspaceId matching ?query (admins only).
export async function GET(request: Request): Promise<Response> {
  return jsonRoute(async () => {
    await requireAdmin();
    const query = parseInput(querySchema, searchParamsOf(request));
    return Response.json(await searchSlackChannels({ prisma: getPrisma(), workspaceId: query.workspaceId, query: query.query, limit: query.limit, refresh: query.refresh === "1" }));
  });
}
