import type { PrismaClient } from "../../db/generated/client";
import type { PagerDutyClient } from "../../pagerduty/client";

/** A PagerDuty incident id as it appears in button and option values. */
export const INCIDENT_ID_PATTERN = /^[A-Z0-9]{1,32}$/i;

/** The facts of an incident that an action needs: what to show, and whose service it is. */
export interface IncidentFacts {
  pagerdutyIncidentId: string;
  number: number;
  title: string;
  htmlUrl: string;
  serviceId: string;
  escalationPolicyId: string | null;
  escalationPolicyName: string | null;
}

/** Loads the incident as Switchboard stored it, or from PagerDuty when Switchboard has not seen it. */
export async function loadIncidentFacts(prisma: PrismaClient, client: PagerDutyClient, incidentId: string): Promise<IncidentFacts> {
  const stored = await prisma.incident.findUnique({ where: { pagerdutyIncidentId: incidentId } });
  if (stored) {
    return {
      pagerdutyIncidentId: stored.pagerdutyIncidentId,
      number: stored.number,
      title: stored.title,
      htmlUrl: stored.htmlUrl,
      serviceId: stored.pagerdutyServiceId,
      escalationPolicyId: stored.escalationPolicyId,
      escalationPolicyName: stored.escalationPolicyName,
    };
  }
  const { incident } = await client.getIncident(incidentId);
  return {
    pagerdutyIncidentId: incident.id,
    number: incident.incident_number,
    title: incident.title,
    htmlUrl: incident.html_url,
    serviceId: incident.service.id,
    escalationPolicyId: incident.escalation_policy?.id ?? null,
    escalationPolicyName: incident.escalation_policy?.summary ?? null,
  };
}
