import { createApiKey, listApiKeys } from "@/lib/api-keys/api-keys";
import { requireAdmin, requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { actorOf, assertSameOrigin, jsonRoute, readJsonBody } from "@/lib/extensions/route-helpers";

export const dynamic = "force-dynamic";

// GET /api/admin/api-keys: every API key (prefix only, never the key), for any signed-in user.
export async function GET(): Promise<Response> {
  return jsonRoute(async () => {
    await requireUser();
    return Response.json({ apiKeys: await listApiKeys({ prisma: getPrisma() }) });
  });
}

// POST /api/admin/api-keys: creates a key (admins only). This response is the only time the key is shown.
export async function POST(request: Request): Promise<Response> {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    const user = await requireAdmin();
    return Response.json(await createApiKey({ prisma: getPrisma(), actor: actorOf(user), input: await readJsonBody(request) }), { status: 201 });
  });
}
