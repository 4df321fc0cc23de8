import { afterEach, describe, expect, it } from "vitest";
import { formatInTimeZone, isValidTimeZone, utcOffsetLabel } from "./time-format";

const originalTz = process.env.TZ;

afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

// Europe/Berlin leaves summer time at 01:00 UTC on 25 October 2026 (03:00 CEST becomes 02:00 CET), so
// 02:30 local happens twice that night; America/New_York leaves it a week later, on 1 November.
const BEFORE_FALL_BACK = new Date("2026-10-25T00:30:00Z");
const AFTER_FALL_BACK = new Date("2026-10-25T01:30:00Z");
const NOW = new Date("2026-10-20T12:00:00Z");

describe("formatInTimeZone", () => {
  it("tells apart the two 02:30s of a fall-back night", () => {
    expect(formatInTimeZone(BEFORE_FALL_BACK, "Europe/Berlin", NOW)).toBe("Sun 25 Oct, 02:30 (UTC+2)");
    expect(formatInTimeZone(AFTER_FALL_BACK, "Europe/Berlin", NOW)).toBe("Sun 25 Oct, 02:30 (UTC+1)");
  });

  it("shows a spring-forward handover in the new offset", () => {
    // New York springs forward at 07:00 UTC on 8 March 2026: 02:00 EST becomes 03:00 EDT.
    expect(formatInTimeZone(new Date("2026-03-08T06:30:00Z"), "America/New_York", new Date("2026-03-01T00:00:00Z"))).toBe("Sun 8 Mar, 01:30 (UTC-5)");
    expect(formatInTimeZone(new Date("2026-03-08T07:30:00Z"), "America/New_York", new Date("2026-03-01T00:00:00Z"))).toBe("Sun 8 Mar, 03:30 (UTC-4)");
  });

  it("ignores the server's own time zone", () => {
    for (const serverZone of ["UTC", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata"]) {
      process.env.TZ = serverZone;
      expect(formatInTimeZone(BEFORE_FALL_BACK, "Europe/Berlin", NOW)).toBe("Sun 25 Oct, 02:30 (UTC+2)");
      expect(formatInTimeZone(AFTER_FALL_BACK, "Europe/Berlin", NOW)).toBe("Sun 25 Oct, 02:30 (UTC+1)");
    }
  });

  it("adds the year only when it differs", () => {
    expect(formatInTimeZone(new Date("2027-01-02T09:00:00Z"), "UTC", NOW)).toContain("2027");
    expect(formatInTimeZone(new Date("2026-12-31T09:00:00Z"), "UTC", NOW)).not.toContain("2026");
  });

  it("counts the year in the viewer's zone", () => {
    // 23:30 UTC on 31 December is already 1 January in Tokyo.
    const newYearInTokyo = new Date("2026-12-31T23:30:00Z");
    expect(formatInTimeZone(newYearInTokyo, "Asia/Tokyo", new Date("2026-12-31T12:00:00Z"))).toBe("Fri, 1 Jan 2027, 08:30 (UTC+9)");
  });
});

describe("utcOffsetLabel", () => {
  it("writes half hours and zero offsets", () => {
    expect(utcOffsetLabel(NOW, "Asia/Kolkata")).toBe("UTC+5:30");
    expect(utcOffsetLabel(NOW, "UTC")).toBe("UTC");
    expect(utcOffsetLabel(NOW, "America/Los_Angeles")).toBe("UTC-7");
  });
});

describe("isValidTimeZone", () => {
  it("accepts IANA names only", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});
