import type { ReactNode } from "react";
import styles from "./card.module.css";

export type CardProps = {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
  id?: string;
};

/** A titled section of a page. */
export function Card({ title, description, actions, children, id }: CardProps) {
  return (
    <section className={styles.card} id={id} aria-labelledby={id && title ? `${id}-title` : undefined}>
      {title || actions ? (
        <header className={styles.header}>
          <div>
            {title ? (
              <h2 className={styles.title} id={id ? `${id}-title` : undefined}>
                {title}
              </h2>
            ) : null}
            {description ? <p className={styles.description}>{description}</p> : null}
          </div>
          {actions ? <div className={styles.actions}>{actions}</div> : null}
        </header>
      ) : null}
      {children}
    </section>
  );
}

export type PageHeaderProps = { title: string; description?: ReactNode; actions?: ReactNode };

export function PageHeader({ title, description, actions }: PageHeaderProps) {
  return (
    <header className={styles.pageHeader}>
      <div>
        <h1 className={styles.pageTitle}>{title}</h1>
        {description ? <p className={styles.description}>{description}</p> : null}
      </div>
      {actions ? <div className={styles.actions}>{actions}</div> : null}
    </header>
  );
}

export type NoticeProps = {
  tone?: "info" | "success" | "warning" | "danger";
  title?: string;
  children: ReactNode;
  role?: "alert" | "status";
};

/** A banner inside a page: an error from a redirect, a warning about the bot, a one-time secret. */
export function Notice({ tone = "info", title, children, role }: NoticeProps) {
  return (
    <div className={`${styles.notice} ${styles[tone]}`} role={role}>
      {title ? <p className={styles.noticeTitle}>{title}</p> : null}
      <div>{children}</div>
    </div>
  );
}
