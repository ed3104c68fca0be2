import Link from "next/link";
import { actionLabel, describeAction, describeActor } from "@/components/audit/describe";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass } from "@/components/ui/field";
import { Table } from "@/components/ui/table";
import { listAudit, listAuditFacets, parseAuditQuery, type AuditQuery } from "@/lib/audit/list-audit";
import { resolveAuditSubjects } from "@/lib/dashboard/audit-subjects";
import { requireOrgPage } from "@/lib/security/page-guard";
import styles from "@/components/audit/audit.module.css";

export const metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const OUTCOME_TONE = { SUCCESS: "success", DENIED: "warning", FAILED: "danger" } as const;

const TARGET_WORDS: Record<string, string> = {
  guild: "The Discord server",
  organization: "This organization",
  user: "A member",
  api_token: "An API token",
  question: "A question",
  discord_member: "A Discord member",
  application: "An application",
};

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export default async function AuditPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const raw = await searchParams;
  const ctx = await requireOrgPage(slug, "audit:read");
  const base = `/dashboard/${ctx.organization.slug}/audit`;
  let query: AuditQuery | null;
  try {
    // Dates from <input type="date"> are days; "to" includes the whole day.
    const to = one(raw.to);
    query = parseAuditQuery({
      ...raw,
      limit: "50",
      to: to ? new Date(Date.parse(to) + 86_400_000).toISOString() : undefined,
    });
  } catch {
    query = null;
  }
  const [page, facets] = await Promise.all([
    query ? listAudit({ organizationId: ctx.organization.id, ...query }) : null,
    listAuditFacets({ organizationId: ctx.organization.id }),
  ]);
  const subjects = page ? await resolveAuditSubjects({ organizationId: ctx.organization.id, entries: page.items }) : {};
  const filters = {
    action: one(raw.action),
    actor: one(raw.actor),
    outcome: one(raw.outcome),
    from: one(raw.from),
    to: one(raw.to),
  };
  const pageHref = (cursor?: string) => {
    const qs = new URLSearchParams(
      Object.entries({ ...filters, cursor: cursor ?? "" }).filter(([, v]) => v),
    ).toString();
    return qs ? `${base}?${qs}` : base;
  };
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every decision, connection, token change and denied access in this organization."
      />
      <form method="get" action={base} className={styles.filters} aria-label="Filter the audit log">
        <select name="action" defaultValue={filters.action} className={inputClass} aria-label="Action">
          <option value="">All actions</option>
          {facets.actions
            .map((a) => ({ value: a, label: actionLabel(a) }))
            .sort((x, y) => x.label.localeCompare(y.label))
            .map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
        </select>
        <select name="actor" defaultValue={filters.actor} className={inputClass} aria-label="Actor">
          <option value="">Anyone</option>
          {facets.actors.map((a) =>
            a.kind === "system" ? null : (
              <option key={`${a.kind}:${a.id}`} value={`${a.kind}:${a.id}`}>
                {describeActor(a)}
              </option>
            ),
          )}
        </select>
        <select name="outcome" defaultValue={filters.outcome} className={inputClass} aria-label="Outcome">
          <option value="">Any outcome</option>
          <option value="SUCCESS">Success</option>
          <option value="DENIED">Denied</option>
          <option value="FAILED">Failed</option>
        </select>
        <input type="date" name="from" defaultValue={filters.from} className={inputClass} aria-label="From (UTC)" />
        <input
          type="date"
          name="to"
          defaultValue={filters.to}
          className={inputClass}
          aria-label="To (UTC, inclusive)"
        />
        <div className={styles.filterActions}>
          <Button type="submit" variant="primary">
            Filter
          </Button>
          <ButtonLink href={base} variant="ghost">
            Clear
          </ButtonLink>
        </div>
      </form>
      {!page ? (
        <p role="alert">
          These filters are not valid. <Link href={base}>Show the whole log</Link>.
        </p>
      ) : page.items.length === 0 ? (
        <EmptyState title="No events match">Try fewer filters or a wider date range.</EmptyState>
      ) : (
        <>
          <Table caption="Audit events" captionHidden cards>
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Outcome</th>
                <th scope="col">About</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((e) => (
                <tr key={e.id}>
                  <td className={styles.what}>{describeAction(e, subjects)}</td>
                  <td data-label="When (UTC)" className={styles.mono}>
                    {e.createdAt.toISOString().replace("T", " ").slice(0, 19)}
                  </td>
                  <td data-label="Who">{describeActor(e.actor, e, subjects)}</td>
                  <td data-label="Outcome">
                    <Badge tone={OUTCOME_TONE[e.outcome]}>
                      {e.outcome.charAt(0) + e.outcome.slice(1).toLowerCase()}
                    </Badge>
                  </td>
                  <td data-label="About">
                    {e.targetType === "application" && e.targetId ? (
                      <Link href={`/dashboard/${ctx.organization.slug}/applications/${e.targetId}`}>
                        {subjects[`application:${e.targetId}`]
                          ? `${subjects[`application:${e.targetId}`]}'s application`
                          : "The application"}
                      </Link>
                    ) : (
                      (subjects[`${e.targetType}:${e.targetId}`] ?? TARGET_WORDS[e.targetType ?? ""] ?? "—")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          <div className={styles.pager}>
            {raw.cursor ? <ButtonLink href={pageHref()}>← Newest</ButtonLink> : <span />}
            {page.nextCursor ? <ButtonLink href={pageHref(page.nextCursor)}>Older →</ButtonLink> : null}
          </div>
        </>
      )}
    </>
  );
}
