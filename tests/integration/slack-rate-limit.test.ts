import { describe, expect, it } from "vitest";
import { env, eventually, getJson, incidentEnvelope, postWebhook, sql, uniqueIncidentId } from "./helpers";

interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  time: string;
  status?: number;
  response: { ok: boolean; error?: string };
}

describe("Slack rate limits", () => {
  it("posts the message once, after the Retry-After wait", async () => {
    // Jobs left by earlier test files could post in #incidents and take the forced 429, so the test
    // starts once nothing is due in the queue.
    await eventually(async () => {
      const [due] = await sql<{ count: string }>(`SELECT count(*) FROM graphile_worker.jobs WHERE run_at <= now()`);
      return Number(due!.count) === 0 ? true : undefined;
    }, "earlier test files' jobs to finish");
    await getJson(`${env.slackUrl}/_sandbox/rate-limit`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      // Only #incidents is limited, so that posts in other channels cannot use it up.
      body: JSON.stringify({ method: "chat.postMessage", times: 1, retryAfter: 2, channel: "C0INCIDENT" }),
    });
    const incidentId = uniqueIncidentId();
    const sentAt = Date.now();
    expect((await postWebhook(JSON.stringify(incidentEnvelope({ eventType: "incident.triggered", incidentId, status: "triggered", occurredAt: new Date() })))).status).toBe(202);

    const calls = await eventually(async () => {
      const { calls: all } = await getJson<{ calls: SlackCall[] }>(`${env.slackUrl}/_sandbox/calls?method=chat.postMessage`);
      const mine = all.filter((call) => JSON.stringify(call.args.blocks ?? "").includes(incidentId));
      const rateLimited = mine.find((call) => !call.response.ok);
      if (!rateLimited) return undefined;
      return mine.some((call) => call.response.ok && call.args.channel === rateLimited.args.channel) ? mine : undefined;
    }, "the message to be posted after the rate limit");

    // Other test files add extensions for the same service, so the incident may be posted in
    // several channels: the one rate-limited post is retried in its channel, after the wait.
    const limited = calls.filter((call) => !call.response.ok);
    expect(limited).toHaveLength(1);
    expect(limited[0]!.response.error).toBe("ratelimited");
    expect(limited[0]!.args.channel).toBe("C0INCIDENT");
    const postedByChannel = new Map<string, SlackCall[]>();
    for (const call of calls.filter((candidate) => candidate.response.ok)) {
      const channel = String(call.args.channel);
      postedByChannel.set(channel, [...(postedByChannel.get(channel) ?? []), call]);
    }
    expect(postedByChannel.get("C0INCIDENT")).toHaveLength(1);
    for (const [channel, posts] of postedByChannel) expect(posts, channel).toHaveLength(1);
    const retried = postedByChannel.get(String(limited[0]!.args.channel))?.[0];
    expect(retried).toBeDefined();
    const waited = new Date(retried!.time).getTime() - new Date(limited[0]!.time).getTime();
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(new Date(retried!.time).getTime() - sentAt).toBeLessThan(15_000);
  });
});
