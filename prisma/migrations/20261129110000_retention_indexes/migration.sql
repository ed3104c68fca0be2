-- The scheduled clean-up (src/lib/maintenance/) finds old rows by age in bounded batches. These indexes keep each
-- batch an index range scan instead of a scan of the whole table.

-- Audit events past the retention, oldest first.
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- Applications that still carry an idempotency key, by age (partial: most rows have none).
CREATE INDEX "applications_idempotency_created_idx" ON "Application" ("createdAt") WHERE "idempotencyKey" IS NOT NULL;
