import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { actorOf, assertSameOrigin, handleJson } from "@/lib/users/http";
import { revokeInvitation } from "@/lib/users/invitations";

export const dynamic = "force-dynamic";

// POST /api/admin/users/invitations/<id>/revoke: revokes a pending invitation so its link stops working (admins only).
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return handleJson(async () => {
    assertSameOrigin(request);
    const admin = await requireAdmin();
    const { id } = await context.params;
    if (!z.uuid().safeParse(id).success) throw new AppError("not_found", "No invitation has this id. Reload the page to see the current invitations.");
    await revokeInvitation({ prisma: getPrisma(), actor: actorOf(admin), invitationId: id });
    return Response.json({ revoked: true });
  });
}
