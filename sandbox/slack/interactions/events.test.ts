import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SIGNING_SECRET, signatureIsValid, startTestFake, waitFor, type TestFake } from "../test-support";

let sandbox: TestFake;

const GENERAL = "C0GENERAL1";
const ROSA = "U0ROSA0001";

function eventRequests() {
  return sandbox.app.requests.filter((request) => request.path === "/api/slack/events");
}

beforeAll(async () => {
  sandbox = await startTestFake({ eventRetryDelaysMs: [20, 40, 60] });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await sandbox.control("/reset", {});
  sandbox.app.reset();
});

describe("event delivery", () => {
  it("retries a failed event with the same event_id", async () => {
    let attempts = 0;
    sandbox.app.respond = () => {
      attempts += 1;
      return { status: attempts <= 2 ? 500 : 200 };
    };
    await sandbox.control("/add-bot", { channelId: GENERAL, inviterId: ROSA });
    const requests = await waitFor(() => (eventRequests().length >= 3 ? eventRequests() : undefined), 5000, "two retries");

    const ids = requests.map((request) => (JSON.parse(request.rawBody) as { event_id: string }).event_id);
    expect(new Set(ids).size).toBe(1);
    expect(requests.map((request) => request.headers["x-slack-retry-num"])).toEqual([undefined, "1", "2"]);
    expect(requests[1]?.headers["x-slack-retry-reason"]).toBe("http_error");
    expect(requests.every((request) => signatureIsValid(request, SIGNING_SECRET))).toBe(true);

    const { json } = await sandbox.control("/deliveries?kind=event_callback:member_joined_channel");
    expect((json.deliveries as Array<{ retryNum?: number }>).map((delivery) => delivery.retryNum)).toEqual([undefined, 1, 2]);
    expect(json.pendingRetries).toBe(0);
  });

  it("stops retrying when the app says X-Slack-No-Retry", async () => {
    sandbox.app.respond = () => ({ status: 500, headers: { "X-Slack-No-Retry": "1" } });
    const result = await sandbox.control("/add-bot", { channelId: GENERAL, inviterId: ROSA });
    expect(result.json.status).toBe(500);
    // A retry is scheduled as soon as the failed response arrives, so none pending means none will come.
    expect((await sandbox.control("/deliveries")).json.pendingRetries).toBe(0);
    expect(eventRequests()).toHaveLength(1);
  });

  it("schedules a retry after a failure", async () => {
    sandbox.app.respond = () => ({ status: 503 });
    await sandbox.control("/add-bot", { channelId: GENERAL, inviterId: ROSA });
    expect((await sandbox.control("/deliveries")).json.pendingRetries).toBe(1);
    await waitFor(() => (eventRequests().length >= 4 ? true : undefined), 5000, "three retries");
    await waitFor(async () => ((await sandbox.control("/deliveries")).json.pendingRetries === 0 ? true : undefined), 5000, "no retry left");
    expect(eventRequests().map((request) => request.headers["x-slack-retry-num"])).toEqual([undefined, "1", "2", "3"]);
  });

  it("reports whether the app answers url_verification", async () => {
    sandbox.app.respond = (request) => ({ status: 200, body: JSON.stringify({ challenge: (JSON.parse(request.rawBody) as { challenge: string }).challenge }) });
    const result = await sandbox.control("/url-verification", {});
    expect(result.json.verified).toBe(true);

    sandbox.app.respond = () => ({ status: 200, body: "wrong" });
    expect((await sandbox.control("/url-verification", {})).json.verified).toBe(false);
  });
});
