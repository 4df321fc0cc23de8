/** One Web API call as the fake Slack's control API lists it. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** When the call arrived, as an ISO date with milliseconds. */
  time: string;
  status: number;
  response: Record<string, unknown>;
}

/** Lists the fake Slack's recorded calls of one Web API method, oldest first. */
export async function listCalls(slackUrl: string, method: string): Promise<RecordedCall[]> {
  const response = await fetch(`${slackUrl}/_sandbox/calls?method=${encodeURIComponent(method)}`);
  if (!response.ok) throw new Error(`GET /_sandbox/calls responded with ${response.status}`);
  return ((await response.json()) as { calls: RecordedCall[] }).calls;
}

export async function clearCalls(slackUrl: string): Promise<void> {
  const response = await fetch(`${slackUrl}/_sandbox/calls`, { method: "DELETE" });
  if (!response.ok) throw new Error(`DELETE /_sandbox/calls responded with ${response.status}`);
}

/**
 * Empties the fake Slack's channel histories. The fake keeps every message in memory, so tens of
 * thousands of ingest messages would make its garbage collection slow the later measurements,
 * which Slack's own history does not do.
 */
export async function clearMessages(slackUrl: string): Promise<void> {
  const response = await fetch(`${slackUrl}/_sandbox/messages`, { method: "DELETE" });
  if (!response.ok) throw new Error(`DELETE /_sandbox/messages responded with ${response.status}`);
}

/** Switches the fake's Slack-like per-channel chat.postMessage limit on or off. */
export async function setRateLimitMode(slackUrl: string, enforce: boolean): Promise<void> {
  const response = await fetch(`${slackUrl}/_sandbox/rate-limit-mode`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ enforce }),
  });
  if (!response.ok) throw new Error(`POST /_sandbox/rate-limit-mode responded with ${response.status}`);
}

export function isOk(call: RecordedCall): boolean {
  return call.status === 200 && call.response.ok === true;
}

const BENCH_INCIDENT_ID = /\bQB[A-Z0-9]{8,}\b/;

/** Returns the benchmark incident id in a message's fallback text, which carries the incident title. */
export function incidentIdInText(call: RecordedCall): string | undefined {
  const text = typeof call.args.text === "string" ? call.args.text : "";
  return BENCH_INCIDENT_ID.exec(text)?.[0];
}

/** Groups successful chat.postMessage calls that are not thread replies by the incident they post. */
export function postsByIncident(calls: RecordedCall[]): Map<string, RecordedCall[]> {
  const byIncident = new Map<string, RecordedCall[]>();
  for (const call of calls) {
    if (!isOk(call) || call.args.thread_ts) continue;
    const incidentId = incidentIdInText(call);
    if (!incidentId) continue;
    const list = byIncident.get(incidentId) ?? [];
    list.push(call);
    byIncident.set(incidentId, list);
  }
  return byIncident;
}
