import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks, type NavItem } from "./nav-links";
import styles from "./dashboard-shell.module.css";

export type { NavItem };

export type DashboardShellProps = { nav: NavItem[]; children: ReactNode; header?: ReactNode; footer?: ReactNode };

/** The frame of every dashboard page: brand, organization, navigation, the signed-in user, content. */
export function DashboardShell({ nav, children, header, footer }: DashboardShellProps) {
  return (
    <div className={styles.shell}>
      <a href="#main" className={styles.skip}>
        Skip to content
      </a>
      <aside className={styles.sidebar}>
        <Link href="/dashboard" className={styles.brand}>
          <span className={styles.logo} aria-hidden="true" /> <span className={styles.brandText}>Guildgate</span>
        </Link>
        {header}
        <NavLinks items={nav} />
        {footer ? <div className={styles.footer}>{footer}</div> : null}
      </aside>
      <main className={styles.content} id="main">
        {children}
      </main>
    </div>
  );
}
