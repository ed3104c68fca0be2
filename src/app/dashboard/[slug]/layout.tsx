import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SessionProvider } from "@/components/session/use-session";
import { UserMenu } from "@/components/session/user-menu";
import { DashboardShell, type NavItem } from "@/components/shell/dashboard-shell";
import { ToastProvider } from "@/components/ui/toast";
import { getDashboardUser } from "@/lib/dashboard/dashboard-user";
import { can, type Permission } from "@/lib/security/authorize";
import { requireOrgPage } from "@/lib/security/page-guard";
import styles from "./org.module.css";

type Props = { children: ReactNode; params: Promise<{ slug: string }> };

/** Tab titles name the organization: "Applications · Acme Guild · Guildgate" (several tabs, several organizations). */
export async function generateMetadata({ params }: Pick<Props, "params">): Promise<Metadata> {
  const { slug } = await params;
  try {
    const ctx = await requireOrgPage(slug, "org:read");
    const name = ctx.organization.name;
    return { title: { template: `%s · ${name} · Guildgate`, default: `${name} · Guildgate` } };
  } catch {
    // Not a member / no such organization: the layout itself answers with the 404 (or the sign-in redirect); the
    // page still needs a title (axe: document-title).
    return { title: "Not found" };
  }
}

const NAV: { path: string; label: string; permission: Permission; exact?: boolean }[] = [
  { path: "", label: "Overview", permission: "org:read", exact: true },
  { path: "/applications", label: "Applications", permission: "org:read" },
  { path: "/settings", label: "Settings", permission: "bot:manage" },
  { path: "/tokens", label: "API tokens", permission: "tokens:manage" },
  { path: "/webhooks", label: "Webhooks", permission: "webhooks:manage" },
  { path: "/audit", label: "Audit log", permission: "audit:read" },
];

export default async function OrgLayout({ children, params }: Props) {
  const { slug } = await params;
  const ctx = await requireOrgPage(slug, "org:read");
  const role = ctx.actor.kind === "user" ? ctx.actor.role : null;
  const base = `/dashboard/${ctx.organization.slug}`;
  const nav: NavItem[] = NAV.filter((n) => role && can(role, n.permission)).map((n) => ({
    href: `${base}${n.path}`,
    label: n.label,
    exact: n.exact,
  }));
  // The guard already resolved the session; one more query gives the frame its user and organization list.
  const me = ctx.actor.kind === "user" ? await getDashboardUser({ userId: ctx.actor.userId }) : null;
  const organizations = me?.organizations ?? [];
  return (
    <SessionProvider initial={{ user: me?.user ?? null, organizations }}>
      <ToastProvider>
        <DashboardShell
          nav={nav}
          header={
            <div className={styles.org}>
              <span className={styles.orgName} title={ctx.organization.name}>
                {ctx.organization.name}
              </span>
              {organizations.length > 1 ? (
                <Link href="/dashboard" className={styles.switch}>
                  Switch
                </Link>
              ) : null}
              {ctx.organization.status === "SUSPENDED" ? <span className={styles.suspended}>Suspended</span> : null}
            </div>
          }
          footer={<UserMenu />}
        >
          {children}
        </DashboardShell>
      </ToastProvider>
    </SessionProvider>
  );
}
