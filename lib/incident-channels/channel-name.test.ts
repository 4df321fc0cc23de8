import { describe, expect, it } from "vitest";
import {
  buildChannelName,
  channelNameProblem,
  DEFAULT_NAME_TEMPLATE,
  fillNameTemplate,
  nameTemplateProblem,
  toSlackChannelName,
  withNumericSuffix,
} from "./channel-name";

const incident = (title: string, overrides: Partial<{ number: number; serviceName: string; createdAt: Date }> = {}) => ({
  number: overrides.number ?? 1234,
  title,
  serviceName: overrides.serviceName ?? "Checkout API",
  createdAt: overrides.createdAt ?? new Date("2026-03-07T23:30:00Z"),
});

/** Slack's own rule, as the fake Slack and conversations.create apply it. */
const VALID_SLACK_NAME = /^[a-z0-9_-]{1,80}$/;

describe("buildChannelName", () => {
  it("lowercases and turns punctuation runs into one hyphen", () => {
    const name = buildChannelName(DEFAULT_NAME_TEMPLATE, incident("Checkout API: P1 Outage (EU) v2.3"));
    expect(name).toBe("inc-1234-checkout-api-p1-outage-eu-v2-3");
  });

  it("cuts a 120-character title to 80 characters", () => {
    const title = "Database replication lag on the primary cluster ".repeat(3).slice(0, 120);
    expect(title).toHaveLength(120);
    const name = buildChannelName(DEFAULT_NAME_TEMPLATE, incident(title));
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(VALID_SLACK_NAME);
    expect(name.startsWith("inc-1234-database-replication-lag-on-the-primary-cluster-")).toBe(true);
    expect(name.endsWith("-")).toBe(false);
  });

  it("falls back to inc-number for a title of symbols only", () => {
    expect(buildChannelName(DEFAULT_NAME_TEMPLATE, incident("!!! ??? *** ---"))).toBe("inc-1234");
    expect(buildChannelName("{title}", incident("!!! ??? *** ---"))).toBe("inc-1234");
    expect(buildChannelName("{title}", incident("___"))).toBe("inc-1234");
  });

  it("transliterates accented and non-Latin letters", () => {
    expect(buildChannelName(DEFAULT_NAME_TEMPLATE, incident("Café in Zürich down"))).toBe("inc-1234-cafe-in-zuerich-down");
    expect(buildChannelName(DEFAULT_NAME_TEMPLATE, incident("Сбой оплаты"))).toBe("inc-1234-sboy-oplaty");
    expect(buildChannelName(DEFAULT_NAME_TEMPLATE, incident("Ωμέγα σφάλμα"))).toBe("inc-1234-omega-sfalma");
    expect(buildChannelName(DEFAULT_NAME_TEMPLATE, incident("Ærø Łódź İstanbul"))).toBe("inc-1234-aero-lodz-istanbul");
  });

  it("drops letters that have no Latin form", () => {
    expect(buildChannelName(DEFAULT_NAME_TEMPLATE, incident("決済障害"))).toBe("inc-1234");
    expect(buildChannelName(DEFAULT_NAME_TEMPLATE, incident("決済 API 障害"))).toBe("inc-1234-api");
  });

  it("fills service and date placeholders", () => {
    const name = buildChannelName("{date}_{service}_{number}", incident("ignored"));
    expect(name).toBe("2026-03-07_checkout-api_1234");
  });

  it("never expands placeholders inside the title", () => {
    expect(fillNameTemplate("{title}", incident("{service} {number}"))).toBe("{service} {number}");
  });

  it("keeps underscores and collapses hyphen runs", () => {
    expect(buildChannelName("{title}", incident("db_primary -- down -  again"))).toBe("db_primary-down-again");
  });

  it("produces names Slack accepts for many titles", () => {
    const titles = ["", " ", "-", "a", "A".repeat(300), "🔥 fire 🔥", "tab\tnew\nline", "ÀÉÎÕÜ", "x-".repeat(60)];
    for (const title of titles) {
      const name = buildChannelName(DEFAULT_NAME_TEMPLATE, incident(title));
      expect(name, title).toMatch(VALID_SLACK_NAME);
      expect(name, title).toMatch(/[a-z0-9]/);
      expect(name, title).not.toMatch(/^-|-$|--/);
    }
  });
});

describe("toSlackChannelName", () => {
  it("returns the fallback when nothing remains", () => {
    expect(toSlackChannelName("---", "inc-7")).toBe("inc-7");
  });

  it("leaves a valid name unchanged", () => {
    expect(toSlackChannelName("inc-42-checkout_eu", "inc-42")).toBe("inc-42-checkout_eu");
  });
});

describe("withNumericSuffix", () => {
  it("appends the suffix", () => {
    expect(withNumericSuffix("inc-42-checkout", 2)).toBe("inc-42-checkout-2");
  });

  it("cuts a long name so the result stays at 80", () => {
    const long = `inc-1-${"a".repeat(74)}`;
    expect(long).toHaveLength(80);
    const suffixed = withNumericSuffix(long, 12);
    expect(suffixed).toHaveLength(80);
    expect(suffixed.endsWith("-12")).toBe(true);
  });

  it("does not leave a double hyphen where the cut lands", () => {
    const name = `${"a".repeat(77)}-bc`;
    expect(withNumericSuffix(name, 3)).toBe(`${"a".repeat(77)}-3`);
  });
});

describe("nameTemplateProblem", () => {
  it("accepts the default template", () => {
    expect(nameTemplateProblem(DEFAULT_NAME_TEMPLATE)).toBeNull();
  });

  it("names an unknown placeholder", () => {
    expect(nameTemplateProblem("inc-{id}-{title}")).toContain("{id}");
  });

  it("rejects an empty template", () => {
    expect(nameTemplateProblem("  ")).not.toBeNull();
  });
});

describe("channelNameProblem", () => {
  it("rejects uppercase, spaces and over-long names", () => {
    expect(channelNameProblem("Inc-1")).not.toBeNull();
    expect(channelNameProblem("inc 1")).not.toBeNull();
    expect(channelNameProblem("a".repeat(81))).not.toBeNull();
    expect(channelNameProblem("--")).not.toBeNull();
    expect(channelNameProblem("inc-1")).toBeNull();
  });
});
