-- At most N webhook deliveries in flight per endpoint, across processes: an attempt holds one of its endpoint's
-- slots (a row keyed by endpoint and slot number) under a lease while it posts (src/lib/webhooks/endpoint-slots.ts).
-- The index finds the next delivery of an endpoint waiting for a slot when one is released.

-- CreateTable
CREATE TABLE "WebhookEndpointSlot" (
    "endpointId" UUID NOT NULL,
    "slot" INTEGER NOT NULL,
    "deliveryId" UUID NOT NULL,
    "leaseUntil" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WebhookEndpointSlot_pkey" PRIMARY KEY ("endpointId","slot")
);

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_status_nextAttemptAt_idx" ON "WebhookDelivery"("endpointId", "status", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "WebhookEndpointSlot" ADD CONSTRAINT "WebhookEndpointSlot_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
