import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { jsonRoute } from "@/lib/extensions/route-helpers";
import { getIncidentTimeline, requireKnownIncident } from "@/lib/incidents/incident-timeline";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

// GET /api/admin/incidents/<PagerDuty incident id>/timeline: PagerDuty's log entries and notes with Switchboard's channel actions, newest first; any signed-in user.
export async function GET(_request: Request, context: Context): Promise<Response> {
  return jsonRoute(async () => {
    await requireUser();
    const { id } = await context.params;
    const prisma = getPrisma();
    await requireKnownIncident(prisma, id);
    return Response.json(await getIncidentTimeline(prisma, { pagerdutyIncidentId: id }));
  });
}
