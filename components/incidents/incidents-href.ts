/** The incident list's filters as the address carries them. An empty filter matches everything. */
export interface IncidentFilters {
  status: string;
  service: string;
  urgency: string;
  page: number;
}

/** Returns the address of the incident list with these filters, leaving out empty ones and page 1. */
export function incidentsHref(filters: IncidentFilters): string {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.service) params.set("service", filters.service);
  if (filters.urgency) params.set("urgency", filters.urgency);
  if (filters.page > 1) params.set("page", String(filters.page));
  return params.size > 0 ? `/incidents?${params.toString()}` : "/incidents";
}
