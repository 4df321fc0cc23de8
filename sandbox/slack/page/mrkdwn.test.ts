import { describe, expect, it } from "vitest";
import { decodeSlackEntities, mrkdwnToHtml, plainTextToHtml } from "./mrkdwn";

const names = {
  user: (userId: string) => ({ U0ROSA0001: "Rosa Responder" })[userId] ?? userId,
  channel: (channelId: string) => ({ C0INCIDENT: "incidents" })[channelId] ?? channelId,
};

describe("mrkdwnToHtml", () => {
  it.each([
    ["*bold*", "<strong>bold</strong>"],
    ["_italic_", "<em>italic</em>"],
    ["~gone~", "<s>gone</s>"],
    ["`a < b`", "<code>a &lt; b</code>"],
    ["*bold _and italic_*", "<strong>bold <em>and italic</em></strong>"],
    ["a*b*c", "a*b*c"],
    ["snake_case_name", "snake_case_name"],
    ["2 * 3 * 4", "2 * 3 * 4"],
  ])("formats %s", (text, html) => {
    expect(mrkdwnToHtml(text, names)).toBe(html);
  });

  it("renders links with their label", () => {
    expect(mrkdwnToHtml("<https://example.com/a?b=1&amp;c=2|the *page*>", names)).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer" target="_blank">the *page*</a>',
    );
  });

  it("renders a bare link", () => {
    expect(mrkdwnToHtml("<https://example.com>", names)).toContain(">https://example.com</a>");
  });

  it("drops links with unsafe protocols", () => {
    expect(mrkdwnToHtml("<javascript:alert(1)|click>", names)).toBe("click");
  });

  it("renders mentions as names", () => {
    expect(mrkdwnToHtml("<@U0ROSA0001> see <#C0INCIDENT> <!here>", names)).toBe(
      '<span class="sb-mention">@Rosa Responder</span> see <span class="sb-mention">#incidents</span> <span class="sb-mention">@here</span>',
    );
  });

  it("decodes Slack's escapes exactly once", () => {
    expect(mrkdwnToHtml("Tom &amp; Jerry &lt;3 &amp;lt;", names)).toBe("Tom &amp; Jerry &lt;3 &amp;lt;");
    expect(decodeSlackEntities("&amp;lt;")).toBe("&lt;");
  });

  it("never passes HTML in the text through", () => {
    const html = mrkdwnToHtml('<img src=x onerror="alert(1)"> &lt;script&gt;alert(1)&lt;/script&gt;', names);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;");
  });

  it("renders quotes, code blocks and line breaks", () => {
    expect(mrkdwnToHtml("&gt; quoted\nplain\n```\nx = *1*\n```", names)).toBe(
      '<blockquote>quoted</blockquote><br>plain<br><pre class="sb-pre">x = *1*\n</pre>',
    );
  });

  it("ignores placeholder characters in the text", () => {
    expect(mrkdwnToHtml("\uE0000\uE001", names)).toBe("\uFFFD0\uFFFD");
  });
});

describe("plainTextToHtml", () => {
  it("shows plain text as written", () => {
    expect(plainTextToHtml("*not bold* & <b>\nnext")).toBe("*not bold* &amp; &lt;b&gt;<br>next");
  });
});
