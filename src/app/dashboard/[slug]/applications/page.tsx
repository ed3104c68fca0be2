import Link from "next/link";
import { ApplicationsTable } from "@/components/applications/applications-table";
import { ApplicationsSearch, exportHref } from "@/components/applications/applications-search";
import { toApplicationRow, STATUS_FILTERS } from "@/components/applications/types";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { ApplicationStatus } from "@/generated/prisma/enums";
import { getApplicantSettings } from "@/lib/applicants/settings";
import { listApplications } from "@/lib/applications/queries/list-applications";
import { can } from "@/lib/security/authorize";
import { requireOrgPage } from "@/lib/security/page-guard";
import styles from "@/components/applications/applications.module.css";

export const metadata = { title: "Applications" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 25;

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function ApplicationsPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const ctx = await requireOrgPage(slug, "org:read");
  const rawStatus = first(query.status) ?? "";
  const status = (Object.values(ApplicationStatus) as string[]).includes(rawStatus)
    ? (rawStatus as ApplicationStatus)
    : "";
  const cursor = first(query.cursor) || null;
  const q = (first(query.q) ?? "").trim().slice(0, 200);
  const base = `/dashboard/${ctx.organization.slug}/applications`;
  let page: Awaited<ReturnType<typeof listApplications>> | null = null;
  try {
    page = await listApplications({
      organizationId: ctx.organization.id,
      status: status || undefined,
      q: q || undefined,
      cursor,
      limit: PAGE_SIZE,
    });
  } catch {
    // Only a malformed cursor fails here; the page offers the way back to the first page.
  }
  const canReview = ctx.actor.kind === "user" && can(ctx.actor.role, "applications:review");
  const { rejectReasonRequired } = await getApplicantSettings({ organizationId: ctx.organization.id });
  const href = (s: string, c?: string | null) => {
    const p = new URLSearchParams();
    if (s) p.set("status", s);
    if (q) p.set("q", q);
    if (c) p.set("cursor", c);
    const qs = p.toString();
    return qs ? `${base}?${qs}` : base;
  };
  return (
    <>
      <PageHeader
        title="Applications"
        description="Review who wants to join. Approving gives the applicant the approved role in your Discord server."
      />
      <nav aria-label="Filter by status" className={styles.filters}>
        {STATUS_FILTERS.map((f) => (
          <Link
            key={f.value || "all"}
            href={href(f.value)}
            className={styles.filter}
            aria-current={f.value === status ? "page" : undefined}
          >
            {f.label}
          </Link>
        ))}
      </nav>
      <ApplicationsSearch
        action={base}
        status={status}
        q={q}
        exportHref={exportHref(`/api/orgs/${ctx.organization.slug}/applications/export`, status, q)}
      />
      {page ? (
        <>
          <ApplicationsTable
            slug={ctx.organization.slug}
            initialItems={page.items.map(toApplicationRow)}
            status={status}
            q={q}
            cursor={cursor}
            limit={PAGE_SIZE}
            canReview={canReview}
            rejectReasonRequired={rejectReasonRequired}
          />
          {cursor || page.nextCursor ? (
            <div className={styles.pager}>
              {cursor ? <ButtonLink href={href(status)}>← Newest</ButtonLink> : <span />}
              {page.nextCursor ? <ButtonLink href={href(status, page.nextCursor)}>Older →</ButtonLink> : null}
            </div>
          ) : null}
        </>
      ) : (
        <p role="alert">
          This page link is no longer valid. <Link href={href(status)}>Go to the newest applications</Link>.
        </p>
      )}
    </>
  );
}
