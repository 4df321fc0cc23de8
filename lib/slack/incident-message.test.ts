import { describe, expect, it } from "vitest";
import type { IncidentSnapshot } from "../incidents/types";
import { ACTION_IDS, LIMITS, renderIncidentMessage } from "./incident-message";
import { escapeAndTruncate, escapeMrkdwn } from "./mrkdwn";

function incident(overrides: Partial<IncidentSnapshot> = {}): IncidentSnapshot {
  return {
    pagerdutyIncidentId: "Q1R2DLCB21K7NP",
    number: 42,
    title: "Checkout latency above 2s",
    status: "triggered",
    urgency: "high",
    priority: "P1",
    pagerdutyServiceId: "P0SVCCHK",
    serviceName: "Checkout API",
    assignees: [{ id: "P0ROSA1", summary: "Rosa Responder" }],
    escalationPolicyId: "P0EPCHK",
    escalationPolicyName: "Checkout On-Call",
    htmlUrl: "https://acme.pagerduty.com/incidents/Q1R2DLCB21K7NP",
    lastAction: null,
    lastActionByName: null,
    lastActionAt: null,
    ...overrides,
  };
}

type Block = Record<string, any>;

function blockOfType(blocks: Block[], type: string): Block {
  const block = blocks.find((candidate) => candidate.type === type);
  if (!block) throw new Error(`no ${type} block`);
  return block;
}

function allMrkdwn(blocks: Block[]): string {
  return JSON.stringify(blocks.filter((block) => block.type !== "header"));
}

describe("escapeMrkdwn", () => {
  it("escapes &, < and > exactly once", () => {
    expect(escapeMrkdwn("a & b <!channel> c > d")).toBe("a &amp; b &lt;!channel&gt; c &gt; d");
    expect(escapeMrkdwn("&amp;")).toBe("&amp;amp;");
    expect(escapeMrkdwn("*bold* _x_ \"q\" 'a'")).toBe("*bold* _x_ \"q\" 'a'");
  });
});

describe("escapeAndTruncate", () => {
  it("never cuts inside an escape", () => {
    const text = "&".repeat(100);
    for (let max = 5; max < 30; max++) {
      const result = escapeAndTruncate(text, max);
      expect(result.length).toBeLessThanOrEqual(max);
      expect(result.endsWith("…")).toBe(true);
      expect(result.slice(0, -1)).toMatch(/^(&amp;)*$/);
    }
  });

  it("never splits a surrogate pair or an emoji sequence", () => {
    const text = "🚨👩🏽‍💻".repeat(40);
    const result = escapeAndTruncate(text, 51);
    expect(result.length).toBeLessThanOrEqual(51);
    expect(result).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(result.replace("…", "")).toMatch(/^(🚨|👩🏽‍💻)+$/u);
  });

  it("keeps short text whole", () => {
    expect(escapeAndTruncate("short <b>", 100)).toBe("short &lt;b&gt;");
  });
});

describe("renderIncidentMessage", () => {
  it("shows status and title in the header, fields and both buttons while triggered", () => {
    const message = renderIncidentMessage(incident());
    const blocks = message.blocks as Block[];
    expect(blockOfType(blocks, "header").text).toEqual({ type: "plain_text", text: "🔴 Triggered: Checkout latency above 2s", emoji: true });
    const fields = blockOfType(blocks, "section").fields.map((field: Block) => field.text);
    expect(fields).toEqual([
      "*Service*\nCheckout API",
      "*Urgency*\nHigh",
      "*Priority*\nP1",
      "*Assigned*\nRosa Responder",
      "*Incident*\n<https://acme.pagerduty.com/incidents/Q1R2DLCB21K7NP|#42>",
    ]);
    const elements = blockOfType(blocks, "actions").elements as Block[];
    expect(elements.map((element) => element.action_id)).toEqual([ACTION_IDS.acknowledge, ACTION_IDS.resolve, ACTION_IDS.moreActions]);
    expect(elements[2]!.options.map((option: Block) => option.text.text)).toEqual(["View Details", "Add a Note", "Escalate", "Run a Play", "Create incident channel"]);
    expect(elements[2]!.options[0].url).toBe("https://acme.pagerduty.com/incidents/Q1R2DLCB21K7NP");
    expect(message.text).toBe("[Triggered] #42 · Checkout latency above 2s · Service: Checkout API · Urgency: high · Assigned: Rosa Responder");
  });

  it("drops Acknowledge once acknowledged and both buttons once resolved", () => {
    const acknowledged = renderIncidentMessage(incident({ status: "acknowledged", lastAction: "acknowledged", lastActionByName: "Rosa Responder" }));
    const ackElements = blockOfType(acknowledged.blocks as Block[], "actions").elements as Block[];
    expect(ackElements.map((element) => element.action_id)).toEqual([ACTION_IDS.resolve, ACTION_IDS.moreActions]);
    expect(blockOfType(acknowledged.blocks as Block[], "context").elements[0].text).toBe("Acknowledged by Rosa Responder");
    expect(blockOfType(acknowledged.blocks as Block[], "header").text.text).toBe("🟡 Acknowledged: Checkout latency above 2s");

    const resolved = renderIncidentMessage(incident({ status: "resolved" }));
    const resolvedElements = blockOfType(resolved.blocks as Block[], "actions").elements as Block[];
    expect(resolvedElements.map((element) => element.action_id)).toEqual([ACTION_IDS.moreActions]);
  });

  it("escapes a title that tries to notify everyone", () => {
    const message = renderIncidentMessage(incident({ title: "<!channel> pay & <@U123> now", serviceName: "A&B <svc>" }));
    expect(message.text).toContain("&lt;!channel&gt; pay &amp; &lt;@U123&gt; now");
    expect(message.text).not.toContain("<!channel>");
    expect(message.text).not.toContain("&amp;amp;");
    expect(allMrkdwn(message.blocks as Block[])).toContain("A&amp;B &lt;svc&gt;");
    // plain_text headers are shown as written and never parsed, so they stay unescaped.
    expect(blockOfType(message.blocks as Block[], "header").text.text).toBe("🔴 Triggered: <!channel> pay & <@U123> now");
  });

  it("mentions linked assignees and names the others", () => {
    const message = renderIncidentMessage(
      incident({ assignees: [{ id: "P0ROSA1", summary: "Rosa Responder" }, { id: "P0PAULA", summary: "Paula <Pageronly>" }] }),
      { slackUserIdsByPagerdutyUserId: new Map([["P0ROSA1", "U0ROSA0001"]]) },
    );
    const fields = blockOfType(message.blocks as Block[], "section").fields.map((field: Block) => field.text);
    expect(fields[3]).toBe("*Assigned*\n<@U0ROSA0001>, Paula &lt;Pageronly&gt;");
  });

  it("shows Unassigned with the escalation policy when nobody is assigned", () => {
    const message = renderIncidentMessage(incident({ assignees: [], escalationPolicyName: "Checkout On-Call" }));
    const fields = blockOfType(message.blocks as Block[], "section").fields.map((field: Block) => field.text);
    expect(fields[3]).toBe("*Assigned*\nUnassigned (Checkout On-Call)");
    expect(message.text).toContain("Assigned: Unassigned (Checkout On-Call)");
  });

  it("keeps a very long title and many assignees within Block Kit limits", () => {
    const assignees = Array.from({ length: 300 }, (_, index) => ({ id: `P${index}`, summary: `Responder & Number ${index}` }));
    const message = renderIncidentMessage(incident({ title: "<&>".repeat(2000), serviceName: "S&".repeat(2000), assignees }));
    const blocks = message.blocks as Block[];
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    const header = blockOfType(blocks, "header").text.text as string;
    expect(header.length).toBeLessThanOrEqual(LIMITS.headerText);
    expect(header.endsWith("…")).toBe(true);
    for (const field of blockOfType(blocks, "section").fields as Block[]) {
      expect(field.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
      expect(field.text).not.toMatch(/&(a|am|l|g)?…/);
    }
    expect(blockOfType(blocks, "section").fields[3].text).toMatch(/ and \d+ more$/);
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    expect(message.text).not.toMatch(/&(a|am|l|g)?…/);
  });

  it("does not link an html_url that is not http(s)", () => {
    const message = renderIncidentMessage(incident({ htmlUrl: "javascript:alert(1)" }));
    const fields = blockOfType(message.blocks as Block[], "section").fields.map((field: Block) => field.text);
    expect(fields[4]).toBe("*Incident*\n#42");
    const overflow = (blockOfType(message.blocks as Block[], "actions").elements as Block[]).at(-1)!;
    expect(overflow.options[0].url).toBeUndefined();
  });
});
