import { requireAdmin, requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { actorOf, assertSameOrigin, jsonRoute, readJsonBody } from "@/lib/extensions/route-helpers";
import { getPagerDutySettingsView, savePagerDutySettings } from "@/lib/settings/pagerduty-admin";

export const dynamic = "force-dynamic";

// GET /api/admin/settings/pagerduty: the PagerDuty settings with secrets masked, for any signed-in user.
export async function GET(): Promise<Response> {
  return jsonRoute(async () => {
    await requireUser();
    return Response.json({ settings: await getPagerDutySettingsView() });
  });
}

// PUT /api/admin/settings/pagerduty: saves changed settings (admins only); fields set by the environment are rejected.
export async function PUT(request: Request): Promise<Response> {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    const user = await requireAdmin();
    return Response.json({ settings: await savePagerDutySettings({ prisma: getPrisma(), actor: actorOf(user), input: await readJsonBody(request) }) });
  });
}
