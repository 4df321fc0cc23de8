import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { IncidentDetailView } from "@/components/incidents/incident-detail-view";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getPrisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

interface Props {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Incident ${id}` };
}

export default async function IncidentPage({ params }: Props) {
  const { id } = await params;
  await requirePageUser(`/incidents/${encodeURIComponent(id)}`);
  const incident = await getPrisma().incident.findUnique({ where: { pagerdutyIncidentId: id }, select: { id: true } });
  if (!incident) notFound();
  return <IncidentDetailView pagerdutyIncidentId={id} />;
}
