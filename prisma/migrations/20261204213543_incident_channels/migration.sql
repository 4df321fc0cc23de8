-- CreateEnum
CREATE TYPE "IncidentChannelStatus" AS ENUM ('creating', 'active', 'archived');

-- CreateTable
CREATE TABLE "incident_channel" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "slack_channel_id" TEXT,
    "slack_channel_name" TEXT NOT NULL,
    "is_private" BOOLEAN NOT NULL DEFAULT false,
    "created_by_switchboard" BOOLEAN NOT NULL,
    "status" "IncidentChannelStatus" NOT NULL DEFAULT 'creating',
    "extension_id" UUID,
    "requested_by_label" TEXT NOT NULL,
    "locked_until" TIMESTAMPTZ(3),
    "archive_at" TIMESTAMPTZ(3),
    "archived_at" TIMESTAMPTZ(3),
    "archive_note_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_channel_rule" (
    "extension_id" UUID NOT NULL,
    "name_template" TEXT NOT NULL DEFAULT 'inc-{number}-{title}',
    "auto_create_high_urgency" BOOLEAN NOT NULL DEFAULT false,
    "auto_create_priorities" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "auto_create_private" BOOLEAN NOT NULL DEFAULT false,
    "archive_after_days" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_channel_rule_pkey" PRIMARY KEY ("extension_id")
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
ALTER TABLE "incident_channel_rule" ADD CONSTRAINT "incident_channel_rule_extension_id_fkey" FOREIGN KEY ("extension_id") REFERENCES "slack_extension"("id") ON DELETE CASCADE ON UPDATE CASCADE;

