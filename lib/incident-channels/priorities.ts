import { PagerDutyApiError } from "../pagerduty/client";
import { getPagerDutyClient } from "../pagerduty/connection";

export interface PriorityList {
  priorities: { id: string; name: string }[];
  /** The reason the list is empty when PagerDuty could not be read; null otherwise. */
  problem: string | null;
}

/** Lists the account's incident priorities (GET /priorities, every page), for the channel rules form. */
export async function listPagerDutyPriorities(): Promise<PriorityList> {
  const client = await getPagerDutyClient();
  if (!client) return { priorities: [], problem: "Switchboard has no PagerDuty API token, so it cannot list priorities. An admin can set it in Settings → PagerDuty." };
  try {
    const priorities = await client.listAll<{ id: string; name: string }>("/priorities", "priorities");
    return { priorities: priorities.map((priority) => ({ id: priority.id, name: priority.name })), problem: null };
  } catch (error) {
    if (!(error instanceof PagerDutyApiError)) throw error;
    return { priorities: [], problem: `PagerDuty did not list its priorities (${error.message}). Reload to try again.` };
  }
}
