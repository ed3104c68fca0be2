"use client";
import { useCallback, useEffect, useState } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import styles from "./bot.module.css";

type HealthCheck = { id: string; ok: boolean; problem?: string; fix?: string };
type GuildHealth =
  | { status: "not_connected" }
  | { status: "unknown"; message: string }
  | { status: "healthy" | "problems"; guildName: string | null; checks: HealthCheck[] };

const CHECK_LABEL: Record<string, string> = {
  bot_token: "Discord accepts the bot's token",
  bot_in_guild: "The bot is in the server",
  manage_roles: "The bot may manage roles",
  approved_role: "The approved role exists",
  role_hierarchy: "The bot's role is above the approved role",
  role_rules: "The bot can change every role the forms add or remove",
  review_channel: "The bot can post in the review channel",
};

/** Asks Discord (through the server) whether the bot can do its job, with the fix for each problem. */
export function GuildHealthPanel({ slug }: { slug: string }) {
  const [health, setHealth] = useState<GuildHealth | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  // State changes only in the answer's callbacks, so the mount effect sets no state synchronously. The server
  // keeps an answer 30 s; "Check again" asks Discord now (fresh=1).
  const fetchHealth = useCallback(
    (fresh = false) =>
      apiFetch<{ health: GuildHealth }>(
        `/api/orgs/${encodeURIComponent(slug)}/bot/health${fresh ? "?fresh=1" : ""}`,
      ).then(
        (body) => {
          setHealth(body.health);
          setError(null);
          setLoading(false);
        },
        (e: unknown) => {
          setError(describeApiError(e));
          setLoading(false);
        },
      ),
    [slug],
  );
  useEffect(() => {
    void fetchHealth();
  }, [fetchHealth]);
  const load = () => {
    setLoading(true);
    setError(null);
    void fetchHealth(true);
  };

  return (
    <div className={styles.stack} aria-busy={loading}>
      <div className={styles.row}>
        {loading ? (
          <span className={styles.meta}>
            <Spinner size="sm" label="" /> Asking Discord…
          </span>
        ) : health?.status === "healthy" ? (
          <Badge tone="success">Everything works</Badge>
        ) : health?.status === "problems" ? (
          <Badge tone="danger">Needs a fix</Badge>
        ) : null}
        <Button size="sm" onClick={load} disabled={loading}>
          Check again
        </Button>
      </div>
      {error ? (
        <Notice tone="danger" role="alert">
          <p>{error}</p>
        </Notice>
      ) : null}
      {health?.status === "unknown" ? (
        <Notice tone="warning">
          <p>{health.message}</p>
        </Notice>
      ) : null}
      {health && (health.status === "healthy" || health.status === "problems") ? (
        <ul className={styles.checks}>
          {health.checks.map((c) => (
            <li key={c.id} className={styles.check}>
              <span className={`${styles.checkIcon} ${c.ok ? styles.ok : styles.bad}`} aria-hidden="true">
                {c.ok ? "✓" : "!"}
              </span>
              <div>
                <p className={styles.checkLabel}>
                  {CHECK_LABEL[c.id] ?? c.id}
                  <span className="visually-hidden">{c.ok ? ": yes" : ": no"}</span>
                </p>
                {!c.ok && c.problem ? <p className={styles.fix}>{c.problem}</p> : null}
                {!c.ok && c.fix ? (
                  <p className={styles.fix}>
                    <strong>Fix:</strong> {c.fix}
                  </p>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
