-- DropIndex
DROP INDEX "incident_pagerduty_service_id_idx";

-- CreateIndex
CREATE INDEX "incident_pagerduty_service_id_created_at_idx" ON "incident"("pagerduty_service_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "incident_created_at_id_idx" ON "incident"("created_at" DESC, "id");

