import { pagerDutyFailure, requirePagerDutyClient } from "../extensions/pagerduty-services";
import type { PagerDutyClient, RestUser } from "../pagerduty/client";

export interface PagerDutyUserOption {
  id: string;
  name: string;
  email: string;
  role: string;
}

const USERS_CACHE_MS = 60_000;
let cache: { client: PagerDutyClient; at: number; users: PagerDutyUserOption[] } | undefined;

/**
 * PagerDuty users whose name or email contains `query`, for choosing the default From user. The
 * whole list is read page by page to the end and cached for a minute.
 */
export async function searchPagerDutyUsers(input: { query?: string; limit?: number }): Promise<{ users: PagerDutyUserOption[]; total: number }> {
  const client = await requirePagerDutyClient();
  if (!cache || cache.client !== client || Date.now() - cache.at > USERS_CACHE_MS) {
    let users: RestUser[];
    try {
      users = await client.listAll<RestUser>("/users", "users");
    } catch (error) {
      throw pagerDutyFailure(error, "listing users");
    }
    cache = { client, at: Date.now(), users: users.map((user) => ({ id: user.id, name: user.name, email: user.email, role: user.role })).sort((a, b) => a.name.localeCompare(b.name)) };
  }
  const needle = (input.query ?? "").trim().toLowerCase();
  const matches = needle ? cache.users.filter((user) => user.name.toLowerCase().includes(needle) || user.email.toLowerCase().includes(needle)) : cache.users;
  return { users: matches.slice(0, input.limit ?? 50), total: matches.length };
}
