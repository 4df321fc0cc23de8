import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { handleJson } from "@/lib/users/http";
import { listUsers } from "@/lib/users/list-users";

export const dynamic = "force-dynamic";

// GET /api/admin/users: web users and open invitations, for any signed-in user (read-only for non-admins).
export async function GET(): Promise<Response> {
  return handleJson(async () => {
    const viewer = await requireUser();
    const directory = await listUsers({ prisma: getPrisma() });
    return Response.json({ ...directory, viewer: { id: viewer.id, isAdmin: viewer.isAdmin, readOnlyReason: viewer.readOnlyReason } });
  });
}
