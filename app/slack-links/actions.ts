"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createSlackLinkByAdmin, removeSlackLinkByAdmin } from "@/lib/linking/manage-links";
import { scopedLogger } from "@/lib/log";

const log = scopedLogger("slack-links");

export interface SlackLinkFormState {
  status: "idle" | "saved" | "error";
  message: string | null;
  fields: Record<string, string>;
}

function failure(error: unknown): SlackLinkFormState {
  if (error instanceof AppError) return { status: "error", message: error.message, fields: error.fields ?? {} };
  log.error({ err: error }, "Changing a Slack link failed");
  return { status: "error", message: "The change failed because of an error in Switchboard. Try again; the server log has the details.", fields: {} };
}

/** Links a Slack member to a PagerDuty user by hand. Admins only; audited. */
export async function createSlackLinkAction(_previous: SlackLinkFormState, form: FormData): Promise<SlackLinkFormState> {
  try {
    const admin = await requireAdmin();
    await createSlackLinkByAdmin({
      prisma: getPrisma(),
      actor: { userId: admin.id, label: admin.email },
      link: {
        slackTeamId: String(form.get("slackTeamId") ?? ""),
        slackUserId: String(form.get("slackUserId") ?? ""),
        pagerdutyUserId: String(form.get("pagerdutyUserId") ?? ""),
      },
    });
    revalidatePath("/slack-links");
    return { status: "saved", message: "The link was saved.", fields: {} };
  } catch (error) {
    return failure(error);
  }
}

/** Removes a link. Admins only; links from the configuration file are refused; audited. */
export async function removeSlackLinkAction(linkId: string): Promise<SlackLinkFormState> {
  try {
    const admin = await requireAdmin();
    await removeSlackLinkByAdmin({ prisma: getPrisma(), actor: { userId: admin.id, label: admin.email }, linkId });
    revalidatePath("/slack-links");
    return { status: "saved", message: "The link was removed.", fields: {} };
  } catch (error) {
    return failure(error);
  }
}
