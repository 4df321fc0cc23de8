import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { IncidentDetailView } from "@/components/incidents/incident-detail-view";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getPrisma } from "@/lib/db/client";
import { getSetChannelContext } from "@/lib/incident-channels/web-actions";
import { getIncidentDetail } from "@/lib/incidents/incident-detail";

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
  const user = await requirePageUser(`/incidents/${encodeURIComponent(id)}`);
  const prisma = getPrisma();
  const detail = await getIncidentDetail(prisma, id);
  if (!detail) notFound();
  const setChannel = await getSetChannelContext({ prisma, user, pagerdutyIncidentId: id });
  return <IncidentDetailView detail={detail} setChannel={setChannel} />;
}
