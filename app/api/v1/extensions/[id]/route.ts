import { apiKeyRoute } from "@/lib/api-keys/api-route";
import { getPrisma } from "@/lib/db/client";
import { getExtension } from "@/lib/extensions/list-extensions";
import { readJsonBody } from "@/lib/extensions/route-helpers";
import { deleteExtension, updateExtension } from "@/lib/extensions/save-extension";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

// GET /api/v1/extensions/<id>: one extension.
export async function GET(request: Request, context: Context): Promise<Response> {
  return apiKeyRoute(request, async () => {
    const { id } = await context.params;
    return Response.json({ extension: await getExtension({ prisma: getPrisma(), id }) });
  });
}

// PATCH /api/v1/extensions/<id>: changes name, service, workspace, channel or updates; the type stays fixed.
export async function PATCH(request: Request, context: Context): Promise<Response> {
  return apiKeyRoute(request, async (actor) => {
    const { id } = await context.params;
    return Response.json(await updateExtension({ prisma: getPrisma(), actor, id, input: await readJsonBody(request) }));
  });
}

// DELETE /api/v1/extensions/<id>: deletes an extension.
export async function DELETE(request: Request, context: Context): Promise<Response> {
  return apiKeyRoute(request, async (actor) => {
    const { id } = await context.params;
    return Response.json({ deleted: await deleteExtension({ prisma: getPrisma(), actor, id }) });
  });
}
