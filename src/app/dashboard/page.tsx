import Link from "next/link";
import { redirect } from "next/navigation";
import { ConnectNotice } from "@/components/bot/connect-notice";
import { CreateOrganizationForm } from "@/components/dashboard/create-organization-form";
import { SessionProvider } from "@/components/session/use-session";
import { UserMenu } from "@/components/session/user-menu";
import { DashboardShell } from "@/components/shell/dashboard-shell";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { withOutagePage } from "@/lib/errors/database-unavailable";
import { listUserOrganizations } from "@/lib/organizations/list-user-organizations";
import { getSession } from "@/lib/security/session";
import styles from "./dashboard.module.css";

export const metadata = { title: "Organizations" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DashboardPage({ searchParams }: Props) {
  const query = await searchParams;
  // The bot callback lands here (not on an organization's settings) when it cannot trust the organization named in
  // the state, e.g. ?error=invalid_state.
  const error = typeof query.error === "string" ? query.error : undefined;
  const session = await withOutagePage(() => getSession());
  if (!session) redirect("/signin?next=/dashboard");
  const organizations = await withOutagePage(() => listUserOrganizations({ userId: session.user.id }));
  const { user } = session;
  return (
    <SessionProvider
      initial={{
        user: { id: user.id, name: user.name, avatar: user.avatar, discordUserId: user.discordUserId },
        organizations,
      }}
    >
      <DashboardShell nav={[{ href: "/dashboard", label: "Organizations", exact: true }]} footer={<UserMenu />}>
        <PageHeader
          title="Your organizations"
          description="Pick an organization to review its applications, or create a new one."
        />
        {error ? (
          <div className={styles.notice}>
            <ConnectNotice error={error} />
          </div>
        ) : null}
        <div className={styles.grid}>
          {organizations.length > 0 ? (
            <ul className={styles.orgs} aria-label="Organizations">
              {organizations.map((o) => (
                <li key={o.slug}>
                  <Link href={`/dashboard/${o.slug}`} className={styles.org}>
                    <span className={styles.orgInitial} aria-hidden="true">
                      {o.name.charAt(0).toUpperCase()}
                    </span>
                    <span className={styles.orgText}>
                      <span className={styles.orgName}>{o.name}</span>
                      <span className={styles.orgSlug}>/{o.slug}</span>
                    </span>
                    <Badge>{o.role.charAt(0) + o.role.slice(1).toLowerCase()}</Badge>
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <Card
              title="No organizations yet"
              description="Create one for your Discord community; you will be its owner."
            />
          )}
          <Card title="Create an organization" id="create">
            <CreateOrganizationForm />
          </Card>
        </div>
      </DashboardShell>
    </SessionProvider>
  );
}
