import { ButtonLink } from "@/components/ui/button";
import styles from "./status-page.module.css";

export const metadata = { title: "Not found" };

/** Also what a non-member sees for an organization's pages: whether it exists is not revealed. */
export default function NotFound() {
  return (
    <main className={styles.main}>
      <p className={styles.code}>404</p>
      <h1 className={styles.title}>Nothing here</h1>
      <p className={styles.text}>This page does not exist, or it belongs to an organization you are not a member of.</p>
      <ButtonLink href="/dashboard" variant="primary">
        Your organizations
      </ButtonLink>
    </main>
  );
}
