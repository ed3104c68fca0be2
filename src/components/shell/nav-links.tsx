"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import styles from "./dashboard-shell.module.css";

export type NavItem = {
  href: string;
  label: string;
  /** Match only this exact path (the overview). */ exact?: boolean;
};

export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname() ?? "";
  return (
    <nav aria-label="Dashboard" className={styles.nav}>
      {items.map((item) => {
        const current = item.exact
          ? pathname === item.href
          : pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link key={item.href} href={item.href} className={styles.navLink} aria-current={current ? "page" : undefined}>
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
