/** Formats an ISO 8601 date as "2026-12-04 21:30 UTC", the same on the server and in every browser. */
export function formatUtcDate(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
