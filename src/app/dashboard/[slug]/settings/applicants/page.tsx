// Settings → Applicants (issue 14): what applicants are told, and who may apply.
import Link from "next/link";
import { ApplicantSettingsForm } from "@/components/applicants/applicant-settings-form";
import { Card, PageHeader } from "@/components/ui/card";
import { getApplicantSettings } from "@/lib/applicants/settings";
import { getBotConnection } from "@/lib/bot-connection/get-connection";
import { requireOrgPage } from "@/lib/security/page-guard";

export const metadata = { title: "Applicants" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export default async function ApplicantSettingsPage({ params }: Props) {
  const { slug } = await params;
  const ctx = await requireOrgPage(slug, "applicants:manage");
  const organizationId = ctx.organization.id;
  const [settings, connection] = await Promise.all([
    getApplicantSettings({ organizationId }),
    getBotConnection({ organizationId }),
  ]);
  const orgSlug = ctx.organization.slug;
  return (
    <>
      <p>
        <Link href={`/dashboard/${orgSlug}/settings`}>← Settings</Link>
      </p>
      <PageHeader
        title="Applicants"
        description="What applicants hear back after a decision, where decisions are logged, and who may apply."
      />
      <Card title="Decisions, messages and requirements">
        <ApplicantSettingsForm
          slug={orgSlug}
          server={connection.guildName ?? ctx.organization.name}
          connected={connection.state === "CONNECTED"}
          initial={settings}
        />
      </Card>
    </>
  );
}
