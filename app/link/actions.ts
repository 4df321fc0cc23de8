"use server";

import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { linkSlackAccount } from "@/lib/linking/link-account";
import { scopedLogger } from "@/lib/log";

const log = scopedLogger("link-page");

export interface LinkActionState {
  status: "idle" | "linked" | "error";
  message: string | null;
}

/** Links the signed-in user's Slack account to their PagerDuty user, after they confirmed. */
export async function linkAccountAction(_previous: LinkActionState, form: FormData): Promise<LinkActionState> {
  const requestToken = typeof form.get("request") === "string" ? String(form.get("request")) : null;
  try {
    const user = await requireUser();
    const result = await linkSlackAccount({ prisma: getPrisma(), webUserId: user.id, requestToken: requestToken || null });
    const after = result.resumed ? " Switchboard is carrying out what you tried in Slack; look there for the result." : " You can go back to Slack now.";
    return { status: "linked", message: `Your Slack account is linked to the PagerDuty user ${result.pagerdutyUser.name} (${result.pagerdutyUser.email}).${after}` };
  } catch (error) {
    if (error instanceof AppError) return { status: "error", message: error.message };
    log.error({ err: error }, "Linking a Slack account failed");
    return { status: "error", message: "Linking failed because of an error in Switchboard. Try again; the server log has the details." };
  }
}
