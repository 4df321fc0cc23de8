import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { actorOf, handleJson, readJsonWrite } from "@/lib/users/http";
import { parseInput } from "@/lib/users/input";
import { setUserDisabled } from "@/lib/users/set-user-disabled";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ disabled: z.boolean({ message: "Send disabled: true or false." }) });

// PATCH /api/admin/users/<id>: disables or enables a user (admins only). Body: { disabled: boolean }.
export async function PATCH(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return handleJson(async () => {
    const admin = await requireAdmin();
    const { id } = await context.params;
    const { disabled } = parseInput(bodySchema, await readJsonWrite(request));
    if (!z.uuid().safeParse(id).success) throw new AppError("not_found", "No user has this id. Reload the page to see the current users.");
    const user = await setUserDisabled({ prisma: getPrisma(), actor: actorOf(admin), userId: id, disabled });
    return Response.json({ user });
  });
}
