import { requireAdmin, requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { getExtension } from "@/lib/extensions/list-extensions";
import { actorOf, assertSameOrigin, jsonRoute, readJsonBody } from "@/lib/extensions/route-helpers";
import { deleteExtension, updateExtension } from "@/lib/extensions/save-extension";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

// GET /api/admin/extensions/<id>: one extension, for any signed-in user.
export async function GET(_request: Request, context: Context): Promise<Response> {
  return jsonRoute(async () => {
    await requireUser();
    const { id } = await context.params;
    return Response.json({ extension: await getExtension({ prisma: getPrisma(), id }) });
  });
}

// PATCH /api/admin/extensions/<id>: changes an extension (admins only); the type stays fixed.
export async function PATCH(request: Request, context: Context): Promise<Response> {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    const user = await requireAdmin();
    const { id } = await context.params;
    return Response.json(await updateExtension({ prisma: getPrisma(), actor: actorOf(user), id, input: await readJsonBody(request) }));
  });
}

// DELETE /api/admin/extensions/<id>: deletes an extension (admins only).
export async function DELETE(request: Request, context: Context): Promise<Response> {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    const user = await requireAdmin();
    const { id } = await context.params;
    return Response.json({ deleted: await deleteExtension({ prisma: getPrisma(), actor: actorOf(user), id }) });
  });
}
