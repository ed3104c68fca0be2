import Link from "next/link";
import styles from "./page.module.css";

const FEATURES = [
  {
    title: "Applications, reviewed",
    text: "People apply with their Discord account; your team approves or rejects in one place.",
  },
  {
    title: "Roles that arrive",
    text: "An approval gives the Discord role through your guild's own bot, retried through rate limits and outages.",
  },
  {
    title: "Your bot, your keys",
    text: "Bot tokens live encrypted per organization. API tokens are hashed and scoped.",
  },
  { title: "An audit trail", text: "Every decision, connection and denial is recorded with who did it and when." },
];

export default function HomePage() {
  return (
    <main className={styles.main}>
      <div className={styles.brand}>
        <span className={styles.logo} aria-hidden="true" /> Guildgate
      </div>
      <section className={styles.hero}>
        <h1>Membership applications for Discord communities.</h1>
        <p>Connect your server&apos;s bot, review who wants in, and let approvals hand out roles reliably.</p>
        <div className={styles.actions}>
          <Link className={styles.primary} href="/dashboard">
            Open the dashboard
          </Link>
          <Link className={styles.secondary} href="/apply/demo">
            See an application page
          </Link>
        </div>
      </section>
      <section className={styles.features} aria-label="Features">
        {FEATURES.map((f) => (
          <div key={f.title} className={styles.feature}>
            <h2>{f.title}</h2>
            <p>{f.text}</p>
          </div>
        ))}
      </section>
    </main>
  );
}
