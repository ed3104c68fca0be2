import Link from "next/link";
import styles from "../../status-page.module.css";

export const metadata = { title: "Application page not found" };

/** An unknown or paused /apply/<name>: said for applicants, not in the dashboard's words. */
export default function ApplyNotFound() {
  return (
    <main className={styles.main}>
      <p className={styles.code}>404</p>
      <h1 className={styles.title}>No application page here</h1>
      <p className={styles.text}>
        There is no community taking applications at this address. Check the link you were given: it may have a typo, or
        the community may have renamed or closed its application page. Ask them for the current link.
      </p>
      <Link href="/">What is Guildgate?</Link>
    </main>
  );
}
