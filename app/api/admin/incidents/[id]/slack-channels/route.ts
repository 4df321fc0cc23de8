import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { parseInput } from "@/lib/extensions/parse-input";
import { jsonRoute, searchParamsOf } from "@/lib/extensions/route-helpers";
import { searchWorkspaceChannels } from "@/lib/incident-channels/web-actions";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  workspaceId: z.string().uuid("Choose a mapped workspace."),
  query: z.string().max(100).default(""),
  refresh: z.enum(["0", "1"]).default("0"),
});

interface Context {
  params: Promise<{ id: string }>;
}

// GET /api/admin/incidents/<PagerDuty incident id>/slack-channels?workspaceId=&query=: channels to associate, searched by name; users whose PagerDuty role may act on the incident.
export async function GET(request: Request, context: Context): Promise<Response> {
  return jsonRoute(async () => {
    const user = await requireUser();
    const { id } = await context.params;
    const query = parseInput(querySchema, searchParamsOf(request));
    return Response.json(
      await searchWorkspaceChannels({ prisma: getPrisma(), user, pagerdutyIncidentId: id, workspaceId: query.workspaceId, query: query.query, refresh: query.refresh === "1" }),
    );
  });
}
