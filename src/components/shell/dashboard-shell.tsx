import Link from "next/link";
import type { ReactNode } from "react";
import styles from "./dashboard-shell.module.css";

export type NavItem = { href: string; label: string; current?: boolean };

export type DashboardShellProps = { nav: NavItem[]; children: ReactNode; header?: ReactNode };

/** The frame of every dashboard page: brand, navigation, content. Pages decide which items to show. */
export function DashboardShell({ nav, children, header }: DashboardShellProps) {
  return (
    <div className={styles.shell}>
      <aside className={styles.sidebar}>
        <Link href="/dashboard" className={styles.brand}>
          <span className={styles.logo} aria-hidden="true" /> Guildgate
        </Link>
        {header}
        <nav aria-label="Dashboard" className={styles.nav}>
          {nav.map((item) => (
            <Link key={item.href} href={item.href} className={styles.navLink} aria-current={item.current ? "page" : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
      </aside>
      <main className={styles.content}>{children}</main>
    </div>
  );
}
