import Link from "next/link";
import { Suspense, cache } from "react";
import { describeAction, describeActor } from "@/components/audit/describe";
import { ConnectionBadge } from "@/components/bot/connection-badge";
import { roleFailureText } from "@/components/dashboard/messages";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, Notice, PageHeader } from "@/components/ui/card";
import { DisabledWebhooksNotice } from "@/components/webhooks/disabled-notice";

import { CopyField } from "@/components/ui/copy-field";
import { Spinner } from "@/components/ui/spinner";
import { checkGuildHealth } from "@/lib/bot-connection/guild-health";
import { resolveAuditSubjects } from "@/lib/dashboard/audit-subjects";
import { getOverview } from "@/lib/dashboard/overview";
import { env } from "@/lib/env";
import { can } from "@/lib/security/authorize";
import { requireOrgPage } from "@/lib/security/page-guard";
import styles from "./overview.module.css";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props) {
  const { slug } = await params;
  try {
    const ctx = await requireOrgPage(slug, "org:read");
    // The layout's "%s · <organization> · Guildgate" template reaches only deeper pages, not this one.
    return { title: { absolute: `Overview · ${ctx.organization.name} · Guildgate` } };
  } catch {
    return { title: "Not found" };
  }
}

// One Discord check per request, shared by the connection card and "Needs attention" (they stream in separately).
const healthOf = cache((organizationId: string) => checkGuildHealth({ organizationId, timeoutMs: 5000 }));

/** The connection card's badge: green only when Discord confirms the bot can give roles. */
async function ConnectionHealthBadge({ organizationId }: { organizationId: string }) {
  const health = await healthOf(organizationId);
  if (health.status === "problems") return <Badge tone="danger">Connected, needs a fix</Badge>;
  if (health.status === "unknown") return <Badge tone="warning">Connected, not checked</Badge>;
  return <Badge tone="success">Connected</Badge>;
}

/** Health problems on the overview itself, each with its fix, instead of only under Settings. */
async function HealthAttention({
  organizationId,
  settingsHref,
}: {
  organizationId: string;
  settingsHref: string | null;
}) {
  const health = await healthOf(organizationId);
  if (health.status === "unknown") {
    return (
      <li>
        <Notice tone="warning" title="Discord could not be asked about the bot">
          <p>{health.message}</p>
        </Notice>
      </li>
    );
  }
  if (health.status !== "problems") return null;
  return (
    <>
      {health.checks
        .filter((c) => !c.ok)
        .map((c) => (
          <li key={c.id}>
            <Notice tone="danger" title={c.problem ?? "The bot cannot give roles"}>
              <p>
                {c.fix ? <>Fix: {c.fix} </> : null}
                {settingsHref ? <Link href={`${settingsHref}#health`}>Server health</Link> : "Ask an admin to fix it."}
              </p>
            </Notice>
          </li>
        ))}
    </>
  );
}

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
  const { connection, counts, failed, waitingToJoin, recent } = await getOverview({
    organizationId: ctx.organization.id,
  });
  const subjects = await resolveAuditSubjects({ organizationId: ctx.organization.id, entries: recent });
  const applyUrl = new URL(`/apply/${ctx.organization.slug}`, env.APP_URL).toString();
  const connected = connection.state === "CONNECTED";
  const base = `/dashboard/${ctx.organization.slug}`;
  const role = ctx.actor.kind === "user" ? ctx.actor.role : null;
  const canManageBot = role !== null && can(role, "bot:manage");
  const needsAttention = !connected || failed.length > 0 || waitingToJoin > 0;
  return (
    <>
      <PageHeader
        title={ctx.organization.name}
        actions={
          <ButtonLink href={`${base}/applications?status=PENDING`} variant="primary">
            Review pending ({counts.PENDING})
          </ButtonLink>
        }
      />
      {role !== null && can(role, "webhooks:manage") ? (
        <DisabledWebhooksNotice organizationId={ctx.organization.id} slug={ctx.organization.slug} />
      ) : null}
      <section aria-label="Applications by status" className={styles.counts}>
        {COUNT_CARDS.map((c) => (
          <Link
            key={c.status}
            href={`${base}/applications?status=${c.status}`}
            className={styles.count}
            data-tone={c.status === "APPROVED_ROLE_FAILED" && counts[c.status] > 0 ? "danger" : undefined}
          >
            <span className={styles.countValue}>{counts[c.status].toLocaleString("en-US")}</span>
            <span className={styles.countLabel}>{c.label}</span>
          </Link>
        ))}
      </section>
      <div className={styles.share}>
        <Card
          title="Your application page"
          id="share"
          description="Share this link where people find your community, e.g. pinned in a Discord channel."
        >
          <CopyField value={applyUrl} href={applyUrl} label="application page link" />
          {!connected ? (
            <p className={styles.warn} role="note">
              No bot is connected: people can apply, but approving them gives no role in Discord until you connect one
              {canManageBot ? (
                <>
                  {" "}
                  in <Link href={`${base}/settings`}>Settings</Link>
                </>
              ) : null}
              .
            </p>
          ) : null}
        </Card>
      </div>
      <div className={styles.grid}>
        <div className={styles.column}>
          <Card
            title="Discord connection"
            id="connection"
            actions={
              canManageBot ? (
                <ButtonLink href={`${base}/settings`} size="sm">
                  Settings
                </ButtonLink>
              ) : null
            }
          >
            <div className={styles.connection}>
              {connected ? (
                <Suspense fallback={<Badge tone="neutral">Connected, checking…</Badge>}>
                  <ConnectionHealthBadge organizationId={ctx.organization.id} />
                </Suspense>
              ) : (
                <ConnectionBadge state={connection.state} />
              )}
              <span>
                {connection.state === "CONNECTED"
                  ? (connection.guildName ?? connection.guildId)
                  : "No server connected"}
              </span>
            </div>
            {connection.state === "CONNECTED" ? (
              <p className={styles.muted}>
                Approvals grant <strong>{connection.approvedRoleName ?? "the approved role"}</strong>{" "}
                {connection.ownBotApplicationId ? "through your own bot." : "through the Guildgate bot."}
              </p>
            ) : null}
          </Card>
          <Card title="Needs attention" id="attention">
            {!needsAttention ? <p className={styles.muted}>No failed role assignments.</p> : null}
            {needsAttention || connected ? (
              <ul className={styles.attention} aria-label="Problems">
                {connected ? (
                  <Suspense
                    fallback={
                      <li className={styles.muted}>
                        <Spinner size="sm" label="" /> Checking the bot with Discord…
                      </li>
                    }
                  >
                    <HealthAttention organizationId={ctx.organization.id} settingsHref={canManageBot ? base : null} />
                  </Suspense>
                ) : null}
                {connection.state !== "CONNECTED" ? (
                  <li>
                    <Notice
                      tone={connection.state === "ERROR" ? "danger" : "warning"}
                      title={
                        connection.state === "ERROR"
                          ? "The last bot connection failed"
                          : connection.state === "CONNECTING"
                            ? "The bot is connecting"
                            : "The bot is not connected"
                      }
                    >
                      <p>
                        {connection.state === "ERROR" && connection.connectionError
                          ? `${connection.connectionError} `
                          : ""}
                        Approved applicants cannot get their role until a server is connected.{" "}
                        {canManageBot ? (
                          <Link href={`${base}/settings`}>Open settings</Link>
                        ) : (
                          "Ask an admin to connect it."
                        )}
                      </p>
                    </Notice>
                  </li>
                ) : null}
                {failed.map((f) => (
                  <li key={f.id}>
                    <Notice tone="danger" title={`Role not given to ${f.applicantName}`}>
                      <p>
                        {roleFailureText(f.roleErrorCode, f.roleErrorMessage)}{" "}
                        <Link href={`${base}/applications/${f.id}`}>Open</Link>
                      </p>
                    </Notice>
                  </li>
                ))}
                {waitingToJoin > 0 ? (
                  <li>
                    <Notice
                      tone="info"
                      title={
                        waitingToJoin === 1
                          ? "1 approved applicant has not joined the server yet"
                          : `${waitingToJoin} approved applicants have not joined the server yet`
                      }
                    >
                      <p>
                        Their role follows automatically when they join; nothing to do unless they ask for the invite
                        link. <Link href={`${base}/applications?status=APPROVED_ROLE_FAILED`}>See them</Link>
                      </p>
                    </Notice>
                  </li>
                ) : null}
              </ul>
            ) : null}
          </Card>
        </div>
        <Card
          title="Recent activity"
          id="activity"
          actions={
            role && can(role, "audit:read") ? (
              <ButtonLink href={`${base}/audit`} size="sm">
                Audit log
              </ButtonLink>
            ) : null
          }
        >
          {recent.length === 0 ? (
            <p className={styles.muted}>No activity yet.</p>
          ) : (
            <ol className={styles.recent}>
              {recent.map((e) => (
                <li key={e.id}>
                  <span className={styles.recentWhat}>{describeAction(e, subjects)}</span>
                  <span className={styles.muted}>
                    {describeActor(e.actor, e, subjects)} ·{" "}
                    <time dateTime={e.createdAt.toISOString()}>
                      {e.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC
                    </time>
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
