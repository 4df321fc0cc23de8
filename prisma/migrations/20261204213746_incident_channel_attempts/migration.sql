-- incident_channel was added by the previous migration and nothing writes to it yet, so it is
-- recreated rather than altered: the channel id becomes required, and the "creating" status and the
-- locked_until column move to incident_channel_attempt.
DROP TABLE "incident_channel";

-- DropEnum
DROP TYPE "IncidentChannelStatus";

-- CreateEnum
CREATE TYPE "IncidentChannelStatus" AS ENUM ('active', 'archived');

-- CreateTable
CREATE TABLE "incident_channel" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "slack_channel_id" TEXT NOT NULL,
    "slack_channel_name" TEXT NOT NULL,
    "is_private" BOOLEAN NOT NULL DEFAULT false,
    "created_by_switchboard" BOOLEAN NOT NULL,
    "status" "IncidentChannelStatus" NOT NULL DEFAULT 'active',
    "extension_id" UUID,
    "requested_by_label" TEXT NOT NULL,
    "archive_at" TIMESTAMPTZ(3),
    "archived_at" TIMESTAMPTZ(3),
    "archive_note_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_channel_pkey" PRIMARY KEY ("id")
);
-- CreateTable
CREATE TABLE "incident_channel_attempt" (
    "incident_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "slack_channel_name" TEXT NOT NULL,
    "is_private" BOOLEAN NOT NULL,
    "locked_until" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_channel_attempt_pkey" PRIMARY KEY ("incident_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "incident_channel_incident_id_key" ON "incident_channel"("incident_id");

-- CreateIndex
CREATE INDEX "incident_channel_workspace_id_idx" ON "incident_channel"("workspace_id");

-- CreateIndex
CREATE INDEX "incident_channel_extension_id_idx" ON "incident_channel"("extension_id");

-- CreateIndex
CREATE INDEX "incident_channel_slack_channel_id_idx" ON "incident_channel"("slack_channel_id");

-- AddForeignKey
ALTER TABLE "incident_channel" ADD CONSTRAINT "incident_channel_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_channel" ADD CONSTRAINT "incident_channel_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "slack_workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_channel" ADD CONSTRAINT "incident_channel_extension_id_fkey" FOREIGN KEY ("extension_id") REFERENCES "slack_extension"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_channel_attempt" ADD CONSTRAINT "incident_channel_attempt_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

