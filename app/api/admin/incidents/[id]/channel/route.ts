import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { parseInput } from "@/lib/extensions/parse-input";
import { assertSameOrigin, jsonRoute, readJsonBody } from "@/lib/extensions/route-helpers";
import { removeIncidentChannelAsWebUser, setChannelRequestSchema, setIncidentChannelAsWebUser } from "@/lib/incident-channels/web-actions";
import { scopedLogger } from "@/lib/log";

export const dynamic = "force-dynamic";

const log = scopedLogger("incident-channels");

interface Context {
  params: Promise<{ id: string }>;
}

// PUT /api/admin/incidents/<PagerDuty incident id>/channel: creates a channel or associates an existing one, replacing the current one; users whose PagerDuty role may act on the incident.
export async function PUT(request: Request, context: Context): Promise<Response> {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    const user = await requireUser();
    const { id } = await context.params;
    const body = parseInput(setChannelRequestSchema, await readJsonBody(request));
    const result = await setIncidentChannelAsWebUser({ prisma: getPrisma(), user, pagerdutyIncidentId: id, request: body, log: log.child({ userId: user.id, incidentId: id }) });
    return Response.json({
      channel: { slackChannelId: result.channel.slackChannelId, slackChannelName: result.channel.slackChannelName, isPrivate: result.channel.isPrivate },
      invited: result.invited,
      warnings: result.warnings,
      recovered: result.recovered,
    });
  });
}

// DELETE /api/admin/incidents/<PagerDuty incident id>/channel: ends the association with the current channel, which stays in Slack; users whose PagerDuty role may act on the incident.
export async function DELETE(request: Request, context: Context): Promise<Response> {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    const user = await requireUser();
    const { id } = await context.params;
    await removeIncidentChannelAsWebUser({ prisma: getPrisma(), user, pagerdutyIncidentId: id });
    return Response.json({ removed: true });
  });
}
