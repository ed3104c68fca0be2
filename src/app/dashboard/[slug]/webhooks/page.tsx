import Link from "next/link";
import { PageHeader } from "@/components/ui/card";
import { DisabledWebhooksNotice } from "@/components/webhooks/disabled-notice";
import { WebhooksManager } from "@/components/webhooks/webhooks-manager";
import { requireOrgPage } from "@/lib/security/page-guard";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import { listEndpoints } from "@/lib/webhooks/endpoints";

export const metadata = { title: "Webhooks" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export default async function WebhooksPage({ params }: Props) {
  const { slug } = await params;
  const ctx = await requireOrgPage(slug, "webhooks:manage");
  const endpoints = await listEndpoints({ organizationId: ctx.organization.id });
  return (
    <>
      <PageHeader
        title="Webhooks"
        description={
          <>
            Guildgate POSTs signed events (Standard Webhooks) to your endpoints when applications are submitted, decided
            or get their role. Payloads are described in the <Link href="/docs/api">API reference</Link>.
          </>
        }
      />
      <DisabledWebhooksNotice organizationId={ctx.organization.id} slug={ctx.organization.slug} />
      <WebhooksManager slug={ctx.organization.slug} initial={endpoints} eventTypes={[...WEBHOOK_EVENT_TYPES]} />
    </>
  );
}
