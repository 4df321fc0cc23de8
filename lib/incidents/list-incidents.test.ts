import { describe, expect, it } from "vitest";
import { useAppDatabase } from "@/tests/support/database";
import { incidentListQuerySchema } from "./list-incidents";

// listIncidents on PostgreSQL with 3,000 incidents over 5 services: order, filters, paging and the
// service list come from SQL.

const COUNT = 3_000;

useAppDatabase(async (client) => {
  // Incident i is i minutes old, on service PSVC(i % 5). Service 4 was renamed: its newest
  // incidents carry the new name. Every third incident is resolved.
  await client.query(
    `INSERT INTO incident (id, pagerduty_incident_id, number, title, status, urgency, pagerduty_service_id, service_name, html_url, last_change_at, created_at, updated_at)
     SELECT gen_random_uuid(), 'PINC' || i, i, 'Incident ' || i,
            CASE WHEN i % 3 = 0 THEN 'resolved' ELSE 'triggered' END, 'high',
            'PSVC' || (i % 5),
            CASE WHEN i % 5 = 4 AND i <= 100 THEN 'Payments' WHEN i % 5 = 4 THEN 'Billing' ELSE 'Service ' || (i % 5) END,
            'https://example.pagerduty.com/incidents/PINC' || i,
            now() - i * interval '1 minute', now() - i * interval '1 minute', now()
       FROM generate_series(1, ${COUNT}) AS i`,
  );
});

async function list(query: Record<string, string>) {
  const { getPrisma } = await import("@/lib/db/client");
  const { listIncidents } = await import("./list-incidents");
  return listIncidents(getPrisma(), incidentListQuerySchema.parse(query));
}

describe("listIncidents", () => {
  it("newest first, paged", async () => {
    const first = await list({ pageSize: "3" });
    expect(first.total).toBe(COUNT);
    expect(first.items.map((item) => item.pagerdutyIncidentId)).toEqual(["PINC1", "PINC2", "PINC3"]);

    const third = await list({ pageSize: "3", page: "3" });
    expect(third.items.map((item) => item.pagerdutyIncidentId)).toEqual(["PINC7", "PINC8", "PINC9"]);
  });

  it("filters by status and service", async () => {
    const page = await list({ status: "resolved", service: "PSVC0", pageSize: "2" });
    // Resolved on service 0: multiples of 15.
    expect(page.total).toBe(COUNT / 15);
    expect(page.items.map((item) => item.pagerdutyIncidentId)).toEqual(["PINC15", "PINC30"]);
  });

  it("services: each once, newest name", async () => {
    const page = await list({});
    expect(page.services).toEqual([
      { id: "PSVC4", name: "Payments" },
      { id: "PSVC0", name: "Service 0" },
      { id: "PSVC1", name: "Service 1" },
      { id: "PSVC2", name: "Service 2" },
      { id: "PSVC3", name: "Service 3" },
    ]);
  });
});
