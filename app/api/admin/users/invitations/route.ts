import { requireAdmin } from "@/lib/auth/session";
import { getEnv } from "@/lib/config/env";
import { getPrisma } from "@/lib/db/client";
import { actorOf, handleJson, readJsonWrite } from "@/lib/users/http";
import { createInvitation } from "@/lib/users/invitations";

export const dynamic = "force-dynamic";

// POST /api/admin/users/invitations: invites a person by email (admins only); the response contains the link, shown once. Body: { email }.
export async function POST(request: Request): Promise<Response> {
  return handleJson(async () => {
    const admin = await requireAdmin();
    const invitation = await createInvitation({ prisma: getPrisma(), actor: actorOf(admin), values: await readJsonWrite(request), appUrl: getEnv().appUrl });
    return Response.json({ invitation }, { status: 201, headers: { "Cache-Control": "no-store" } });
  });
}
