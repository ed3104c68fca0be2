import Link from "next/link";
import { FormsList } from "@/components/forms/forms-list";
import { Card, PageHeader } from "@/components/ui/card";
import { toFormDto } from "@/lib/forms/dto";
import { listForms } from "@/lib/forms/forms";
import { requireOrgPage } from "@/lib/security/page-guard";

export const metadata = { title: "Forms" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export default async function FormsPage({ params }: Props) {
  const { slug } = await params;
  const ctx = await requireOrgPage(slug, "questions:manage");
  const forms = await listForms({ organizationId: ctx.organization.id });
  const orgSlug = ctx.organization.slug;
  return (
    <>
      <p>
        <Link href={`/dashboard/${orgSlug}/settings`}>← Settings</Link>
      </p>
      <PageHeader
        title="Forms"
        description={`Each form has its own questions and role rule. /apply/${orgSlug} opens the only open form, or lists the open ones.`}
      />
      <Card title="Application forms">
        <FormsList slug={orgSlug} initial={forms.map((f) => toFormDto(f))} />
      </Card>
    </>
  );
}
