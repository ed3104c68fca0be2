import Link from "next/link";
import { describeAction, describeActor } from "@/components/audit/describe";
import { ConnectionBadge } from "@/components/bot/connection-badge";
import { roleFailureText } from "@/components/dashboard/messages";
import { ButtonLink } from "@/components/ui/button";
import { Card, Notice, PageHeader } from "@/components/ui/card";
import { DisabledWebhooksNotice } from "@/components/webhooks/disabled-notice";
import { getOverview } from "@/lib/dashboard/overview";
import { can } from "@/lib/security/authorize";
import { requireOrgPage } from "@/lib/security/guard";
import styles from "./overview.module.css";

export const metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

const COUNT_CARDS = [
  { status: "PENDING", label: "Waiting for review" },
  { status: "APPROVED_PENDING_ROLE", label: "Assigning role" },
  { status: "APPROVED_ROLE_FAILED", label: "Role failed" },
  { status: "APPROVED_ROLE_ASSIGNED", label: "Role assigned" },
  { status: "REJECTED", label: "Rejected" },
] as const;

export default async function OverviewPage({ params }: Props) {
  const { slug } = await params;
  const ctx = await requireOrgPage(slug, "org:read");
  const { connection, counts, failed, recent } = await getOverview({ organizationId: ctx.organization.id });
  const base = `/dashboard/${ctx.organization.slug}`;
  const role = ctx.actor.kind === "user" ? ctx.actor.role : null;
  const canManageBot = role !== null && can(role, "bot:manage");
  const needsAttention = connection.state !== "CONNECTED" || failed.length > 0;
  return (
    <>
      <PageHeader
        title={ctx.organization.name}
        description={
          <>
            Application page: <Link href={`/apply/${ctx.organization.slug}`}>/apply/{ctx.organization.slug}</Link>
          </>
        }
        actions={<ButtonLink href={`${base}/applications?status=PENDING`} variant="primary">Review pending ({counts.PENDING})</ButtonLink>}
      />
      {role !== null && can(role, "webhooks:manage") ? <DisabledWebhooksNotice organizationId={ctx.organization.id} slug={ctx.organization.slug} /> : null}
      <section aria-label="Applications by status" className={styles.counts}>
        {COUNT_CARDS.map((c) => (
          <Link key={c.status} href={`${base}/applications?status=${c.status}`} className={styles.count} data-tone={c.status === "APPROVED_ROLE_FAILED" && counts[c.status] > 0 ? "danger" : undefined}>
            <span className={styles.countValue}>{counts[c.status].toLocaleString("en-US")}</span>
            <span className={styles.countLabel}>{c.label}</span>
          </Link>
        ))}
      </section>
      <div className={styles.grid}>
        <div className={styles.column}>
          <Card title="Discord connection" actions={canManageBot ? <ButtonLink href={`${base}/settings`} size="sm">Settings</ButtonLink> : null}>
            <div className={styles.connection}>
              <ConnectionBadge state={connection.state} />
              <span>{connection.state === "CONNECTED" ? connection.guildName ?? connection.guildId : "No server connected"}</span>
            </div>
            {connection.state === "CONNECTED" ? (
              <p className={styles.muted}>
                Approvals grant <strong>{connection.approvedRoleName ?? "the approved role"}</strong> {connection.ownBotApplicationId ? "through your own bot." : "through the Guildgate bot."}
              </p>
            ) : null}
          </Card>
          <Card title="Needs attention">
            {!needsAttention ? (
              <p className={styles.muted}>Nothing needs attention. Failed role assignments and bot problems show up here.</p>
            ) : (
              <ul className={styles.attention}>
                {connection.state !== "CONNECTED" ? (
                  <li>
                    <Notice tone={connection.state === "ERROR" ? "danger" : "warning"} title={connection.state === "ERROR" ? "The last bot connection failed" : connection.state === "CONNECTING" ? "The bot is connecting" : "The bot is not connected"}>
                      <p>
                        {connection.state === "ERROR" && connection.connectionError ? `${connection.connectionError} ` : ""}
                        Approved applicants cannot get their role until a server is connected.{" "}
                        {canManageBot ? <Link href={`${base}/settings`}>Open settings</Link> : "Ask an admin to connect it."}
                      </p>
                    </Notice>
                  </li>
                ) : null}
                {failed.map((f) => (
                  <li key={f.id}>
                    <Notice tone="danger" title={`Role not given to ${f.applicantName}`}>
                      <p>
                        {roleFailureText(f.roleErrorCode, f.roleErrorMessage)} <Link href={`${base}/applications/${f.id}`}>Open</Link>
                      </p>
                    </Notice>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
        <Card title="Recent activity" actions={role && can(role, "audit:read") ? <ButtonLink href={`${base}/audit`} size="sm">Audit log</ButtonLink> : null}>
          {recent.length === 0 ? (
            <p className={styles.muted}>No activity yet.</p>
          ) : (
            <ol className={styles.recent}>
              {recent.map((e) => (
                <li key={e.id}>
                  <span className={styles.recentWhat}>{describeAction(e)}</span>
                  <span className={styles.muted}>
                    {describeActor(e.actor)} · <time dateTime={e.createdAt.toISOString()}>{e.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
    </>
  );
}
