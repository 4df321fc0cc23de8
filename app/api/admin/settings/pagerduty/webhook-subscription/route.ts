import { requireAdmin } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { actorOf, assertSameOrigin, jsonRoute } from "@/lib/extensions/route-helpers";
import { createWebhookSubscription } from "@/lib/settings/webhook-subscription";

export const dynamic = "force-dynamic";

// POST /api/admin/settings/pagerduty/webhook-subscription: creates the V3 webhook subscription and stores its secret (admins only).
export async function POST(request: Request): Promise<Response> {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    const user = await requireAdmin();
    return Response.json({ subscription: await createWebhookSubscription({ prisma: getPrisma(), actor: actorOf(user) }) }, { status: 201 });
  });
}
