import type { Metadata } from "next";
import { IncidentList } from "@/components/incidents/incident-list";
import { PageHeader } from "@/components/extensions/ui";
import { requirePageUser } from "@/lib/auth/page-guard";
import { INCIDENT_STATUSES, INCIDENT_URGENCIES } from "@/lib/incidents/list-incidents";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Incidents" };

type SearchParams = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string {
  return typeof value === "string" ? value : "";
}

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageUser("/incidents");
  const params = await searchParams;
  const status = single(params.status);
  const urgency = single(params.urgency);
  const service = single(params.service);
  const page = Number.parseInt(single(params.page), 10);
  return (
    <div>
      <PageHeader title="Incidents" description="PagerDuty incidents that reached Switchboard, newest first. The list refreshes as incidents change." />
      <IncidentList
        initial={{
          status: (INCIDENT_STATUSES as readonly string[]).includes(status) ? status : "",
          urgency: (INCIDENT_URGENCIES as readonly string[]).includes(urgency) ? urgency : "",
          service: /^[A-Z0-9]{1,32}$/i.test(service) ? service : "",
          page: Number.isInteger(page) && page > 0 ? page : 1,
        }}
      />
    </div>
  );
}
