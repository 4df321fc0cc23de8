import { requireUser } from "@/lib/auth/session";
import { jsonRoute } from "@/lib/extensions/route-helpers";
import { listPagerDutyPriorities } from "@/lib/incident-channels/priorities";

export const dynamic = "force-dynamic";

// GET /api/admin/incidents/priorities: the PagerDuty account's incident priorities, for the channel rules form; any signed-in user.
export async function GET(): Promise<Response> {
  return jsonRoute(async () => {
    await requireUser();
    return Response.json(await listPagerDutyPriorities());
  });
}
