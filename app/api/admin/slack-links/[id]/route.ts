import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { removeSlackLinkByAdmin } from "@/lib/linking/manage-links";
import { actorOf, assertSameOrigin, handleJson } from "@/lib/users/http";

export const dynamic = "force-dynamic";

// DELETE /api/admin/slack-links/<id>: removes a link (admins only; links from the configuration file are refused; audited).
export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return handleJson(async () => {
    assertSameOrigin(request);
    const admin = await requireAdmin();
    const { id } = await context.params;
    if (!z.uuid().safeParse(id).success) throw new AppError("not_found", "No link has this id. Reload the page to see the current links.");
    await removeSlackLinkByAdmin({ prisma: getPrisma(), actor: actorOf(admin), linkId: id });
    return new Response(null, { status: 204 });
  });
}
