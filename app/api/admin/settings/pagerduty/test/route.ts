import { requireAdmin } from "@/lib/auth/session";
import { assertSameOrigin, jsonRoute } from "@/lib/extensions/route-helpers";
import { testPagerDutyConnection } from "@/lib/settings/test-connection";

export const dynamic = "force-dynamic";

// POST /api/admin/settings/pagerduty/test: checks the PagerDuty connection and reports each check (admins only).
export async function POST(request: Request): Promise<Response> {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    await requireAdmin();
    return Response.json({ checks: await testPagerDutyConnection() });
  });
}
