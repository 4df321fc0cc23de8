/** Returns true when the runtime accepts `timeZone` as an IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Returns the UTC offset in force in `timeZone` at `at`, for example "UTC+2", "UTC-4", "UTC+5:30" or "UTC". */
export function utcOffsetLabel(at: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "longOffset" }).formatToParts(at).find((item) => item.type === "timeZoneName");
  // longOffset gives "GMT+02:00"; a zero offset comes as "GMT" or "GMT+00:00" depending on the ICU version.
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part?.value ?? "");
  if (!match) return "UTC";
  const [, sign, hours, minutes] = match;
  if (Number(hours) === 0 && minutes === "00") return "UTC";
  return `UTC${sign}${Number(hours)}${minutes === "00" ? "" : `:${minutes}`}`;
}

/**
 * Formats an instant as wall-clock time in `timeZone`, with the UTC offset in force then, for
 * example "Sun 25 Oct, 02:30 (UTC+1)". The offset distinguishes the two 02:30s of a night when the
 * clocks go back. The year is added when it differs from the year of `now` in that zone. The
 * server's own time zone plays no part.
 */
export function formatInTimeZone(at: Date, timeZone: string, now = new Date()): string {
  const year = (date: Date) => new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric" }).format(date);
  const showYear = year(at) !== year(now);
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(showYear ? { year: "numeric" } : {}),
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  return `${text} (${utcOffsetLabel(at, timeZone)})`;
}
