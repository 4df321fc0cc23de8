import type { JobHelpers, Task, TaskList } from "graphile-worker";
import { z } from "zod";
import { getPrisma } from "../db/client";
import { scopedLogger } from "../log";
import { TASKS } from "../queue/jobs";
import { archiveIncidentChannel } from "./archive-channel";
import { scheduleChannelArchive } from "./archive-schedule";
import { createChannelByRule } from "./auto-create";

const createPayload = z.object({ incidentId: z.string().uuid(), extensionId: z.string().uuid() });
const archivePayload = z.object({ incidentChannelId: z.string().uuid() });
const schedulePayload = z.object({ incidentChannelId: z.string().uuid(), resolvedAt: z.iso.datetime() });

function jobLogger(helpers: JobHelpers) {
  return scopedLogger("incident-channels", { task: helpers.job.task_identifier, jobId: helpers.job.id, attempt: helpers.job.attempts });
}

const createIncidentChannelTask: Task = async (payload, helpers) => {
  const { incidentId, extensionId } = createPayload.parse(payload);
  const outcome = await createChannelByRule({ prisma: getPrisma(), incidentId, extensionId, log: jobLogger(helpers) });
  jobLogger(helpers).info({ incidentId, extensionId, outcome }, "Automatic incident channel job finished");
};

const archiveIncidentChannelTask: Task = async (payload, helpers) => {
  const { incidentChannelId } = archivePayload.parse(payload);
  const outcome = await archiveIncidentChannel({ prisma: getPrisma(), incidentChannelId, log: jobLogger(helpers) });
  jobLogger(helpers).info({ incidentChannelId, outcome }, "Incident channel archive job finished");
};

const scheduleChannelArchiveTask: Task = async (payload) => {
  const { incidentChannelId, resolvedAt } = schedulePayload.parse(payload);
  await scheduleChannelArchive({ prisma: getPrisma(), incidentChannelId, resolvedAt: new Date(resolvedAt) });
};

/** The job queue's handlers for incident channels, merged into lib/queue/tasks.ts. */
export const incidentChannelTasks: TaskList = {
  [TASKS.createIncidentChannel]: createIncidentChannelTask,
  [TASKS.archiveIncidentChannel]: archiveIncidentChannelTask,
  [TASKS.scheduleChannelArchive]: scheduleChannelArchiveTask,
};
