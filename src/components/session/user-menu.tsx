"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useSession } from "./use-session";
import styles from "./user-menu.module.css";

/** The signed-in user's name and a sign-out button; reads the shared session store. */
export function UserMenu() {
  const session = useSession();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  if (!session.user) return null;
  const initial = session.user.name.trim().charAt(0).toUpperCase() || "?";
  return (
    <div className={styles.menu}>
      <span className={styles.avatar} aria-hidden="true">
        {initial}
      </span>
      <span className={styles.text}>
        <span className={styles.name} title={session.user.name}>
          {session.user.name}
        </span>
        <button
          type="button"
          className={styles.signOut}
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await session.signOut();
            } finally {
              router.push("/signin");
              router.refresh();
            }
          }}
        >
          {busy ? "Signing out…" : "Sign out"}
        </button>
      </span>
    </div>
  );
}
