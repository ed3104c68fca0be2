// Server component: tells admins that endpoints were switched off after sustained failure, with the way back.
import Link from "next/link";
import { Notice } from "@/components/ui/card";
import { listAutoDisabledEndpoints } from "@/lib/webhooks/endpoints";

export async function DisabledWebhooksNotice({ organizationId, slug }: { organizationId: string; slug: string }) {
  const disabled = await listAutoDisabledEndpoints({ organizationId });
  if (disabled.length === 0) return null;
  return (
    <Notice
      tone="danger"
      title={
        disabled.length === 1 ? "A webhook endpoint was disabled" : `${disabled.length} webhook endpoints were disabled`
      }
      role="status"
    >
      <p>
        {disabled.map((e) => `${e.url}: ${e.disabledReason ?? "too many failed deliveries"}`).join(" ")} Events are no
        longer sent there. Fix the receiver, then <Link href={`/dashboard/${slug}/webhooks`}>enable it again</Link>.
      </p>
    </Notice>
  );
}
