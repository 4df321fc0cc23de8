import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { errorResponse } from "@/lib/errors";
import { scopedLogger } from "@/lib/log";
import { listWorkspaces } from "@/lib/workspaces/list-workspaces";

export const dynamic = "force-dynamic";

const log = scopedLogger("admin-workspaces");

// GET /api/admin/workspaces: the mapped workspaces, for any signed-in user (the page is read-only for non-admins).
export async function GET(): Promise<Response> {
  try {
    await requireUser();
    return Response.json({ workspaces: await listWorkspaces(getPrisma()) });
  } catch (error) {
    return errorResponse(error, log);
  }
}
