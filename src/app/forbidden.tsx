import { ButtonLink } from "@/components/ui/button";
import styles from "./status-page.module.css";

export const metadata = { title: "Not allowed" };

export default function Forbidden() {
  return (
    <main className={styles.main}>
      <p className={styles.code}>403</p>
      <h1 className={styles.title}>Your role does not allow this</h1>
      <p className={styles.text}>Ask an owner or admin of the organization if you need access to this page.</p>
      <ButtonLink href="/dashboard" variant="primary">
        Your organizations
      </ButtonLink>
    </main>
  );
}
