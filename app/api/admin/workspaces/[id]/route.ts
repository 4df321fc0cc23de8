import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { AppError, errorResponse } from "@/lib/errors";
import { scopedLogger } from "@/lib/log";
import { removeWorkspace } from "@/lib/workspaces/remove-workspace";

export const dynamic = "force-dynamic";

const log = scopedLogger("admin-workspaces");

const idSchema = z.string().uuid();

// DELETE /api/admin/workspaces/:id: removes a workspace mapping (admins only). Its extensions are
// disabled with the reason and its bot token is erased; a refused request changes nothing.
export async function DELETE(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const admin = await requireAdmin();
    const { id } = await context.params;
    if (!idSchema.safeParse(id).success) throw new AppError("not_found", `No mapped workspace has the id ${id}.`);
    const removed = await removeWorkspace({ prisma: getPrisma(), workspaceId: id, actor: { userId: admin.id, label: admin.email } });
    log.info({ workspaceId: removed.id, userId: admin.id, disabledExtensions: removed.disabledExtensions }, "Workspace mapping removed");
    return Response.json({ removed });
  } catch (error) {
    return errorResponse(error, log);
  }
}
