import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { parseInput } from "@/lib/extensions/parse-input";
import { jsonRoute, searchParamsOf } from "@/lib/extensions/route-helpers";
import { incidentListQuerySchema, listIncidents } from "@/lib/incidents/list-incidents";

export const dynamic = "force-dynamic";

// GET /api/admin/incidents: one page of incidents, newest first (status, service, urgency, page, pageSize), for any signed-in user.
export async function GET(request: Request): Promise<Response> {
  return jsonRoute(async () => {
    await requireUser();
    const query = parseInput(incidentListQuerySchema, searchParamsOf(request));
    return Response.json(await listIncidents(getPrisma(), query));
  });
}
