import Link from "next/link";
import { notFound } from "next/navigation";
import { FormDetails } from "@/components/forms/form-details";
import { RoleRuleEditor } from "@/components/forms/role-rule-editor";
import { QuestionsEditor } from "@/components/settings/questions-editor";
import { Card, PageHeader } from "@/components/ui/card";
import { getBotConnection } from "@/lib/bot-connection/get-connection";
import { isAppError } from "@/lib/errors/app-error";
import { toFormDto, toQuestionDto } from "@/lib/forms/dto";
import { getFormOrThrow } from "@/lib/forms/forms";
import { listQuestions } from "@/lib/questions/questions";
import { can } from "@/lib/security/authorize";
import { requireOrgPage } from "@/lib/security/page-guard";
import settingsStyles from "@/components/settings/settings.module.css";

export const metadata = { title: "Form" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string; form: string }> };

export default async function FormPage({ params }: Props) {
  const { slug, form: formSlug } = await params;
  const ctx = await requireOrgPage(slug, "questions:manage");
  const organizationId = ctx.organization.id;
  const form = await getFormOrThrow({ organizationId, slug: formSlug }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const [questions, connection] = await Promise.all([
    listQuestions({ organizationId, formId: form.id }),
    getBotConnection({ organizationId }),
  ]);
  const orgSlug = ctx.organization.slug;
  const canManageRoles = ctx.actor.kind === "user" && can(ctx.actor.role, "bot:manage");
  const view = toFormDto(form);
  return (
    <>
      <p>
        <Link href={`/dashboard/${orgSlug}/settings/forms`}>← All forms</Link>
      </p>
      <PageHeader
        title={form.name}
        description={
          <code>
            /apply/{orgSlug}/{form.slug}
          </code>
        }
      />
      <div className={settingsStyles.sections}>
        <Card id="details" title="Form">
          <FormDetails key={form.updatedAt.toISOString()} slug={orgSlug} form={view} />
        </Card>
        <Card id="questions" title="Questions" description="Asked in this order. API callers answer each by its key.">
          <QuestionsEditor
            slug={orgSlug}
            apiBase={`/api/orgs/${orgSlug}/forms/${form.slug}/questions`}
            initial={questions.map((q) => {
              const d = toQuestionDto(q);
              return { ...d, min: d.min, max: d.max };
            })}
          />
        </Card>
        {canManageRoles ? (
          <Card
            id="role-rule"
            title="Role rule"
            description="What an approval, a rejection and a revocation change in the Discord server."
          >
            {connection.state === "CONNECTED" ? (
              <RoleRuleEditor slug={orgSlug} form={view} />
            ) : (
              <p>Connect the bot first: the roles are picked from your server.</p>
            )}
          </Card>
        ) : null}
      </div>
    </>
  );
}
