import { revokeApiKey } from "@/lib/api-keys/api-keys";
import { requireAdmin } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { actorOf, assertSameOrigin, jsonRoute } from "@/lib/extensions/route-helpers";

export const dynamic = "force-dynamic";

// DELETE /api/admin/api-keys/<id>: revokes a key (admins only); the record stays, marked revoked.
export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    const user = await requireAdmin();
    const { id } = await context.params;
    return Response.json({ apiKey: await revokeApiKey({ prisma: getPrisma(), actor: actorOf(user), id }) });
  });
}
