import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { jsonRoute } from "@/lib/extensions/route-helpers";
import { getSetChannelContext } from "@/lib/incident-channels/web-actions";
import { getIncidentDetail } from "@/lib/incidents/incident-detail";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

// GET /api/admin/incidents/<PagerDuty incident id>: the incident, its Slack messages and channel, and what the Set Channel dialog needs; any signed-in user.
export async function GET(_request: Request, context: Context): Promise<Response> {
  return jsonRoute(async () => {
    const user = await requireUser();
    const { id } = await context.params;
    const prisma = getPrisma();
    const detail = await getIncidentDetail(prisma, id);
    if (!detail) throw new AppError("not_found", `Switchboard has no incident ${id}. It appears here once PagerDuty sends its webhook.`);
    const setChannel = await getSetChannelContext({ prisma, user, pagerdutyIncidentId: id });
    return Response.json({ ...detail, setChannel });
  });
}
