import type { Metadata } from "next";
import { IncidentList } from "@/components/incidents/incident-list";
import { PageHeader } from "@/components/extensions/ui";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getPrisma } from "@/lib/db/client";
import { parseListParams, singleParam, type PageSearchParams } from "@/lib/http/list-params";
import { incidentListQuerySchema, listIncidents } from "@/lib/incidents/list-incidents";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Incidents" };

const PAGE_SIZE = 25;

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  await requirePageUser("/incidents");
  const params = await searchParams;
  const query = parseListParams(incidentListQuerySchema, {
    status: singleParam(params, "status"),
    service: singleParam(params, "service"),
    urgency: singleParam(params, "urgency"),
    page: singleParam(params, "page"),
    pageSize: String(PAGE_SIZE),
  });
  const result = await listIncidents(getPrisma(), query);
  return (
    <div>
      <PageHeader title="Incidents" description="PagerDuty incidents that reached Switchboard, newest first. The list refreshes as incidents change." />
      <IncidentList result={result} filters={{ status: query.status ?? "", service: query.service ?? "", urgency: query.urgency ?? "", page: query.page }} />
    </div>
  );
}
