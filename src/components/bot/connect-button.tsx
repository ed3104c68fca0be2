"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { ConnectionState } from "@/generated/prisma/enums";
import { apiFetch } from "@/components/api/client";
import { buttonClass } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import styles from "./bot.module.css";

export type ConnectButtonProps = {
  slug: string;
  state: ConnectionState;
  /** Where "Connect" goes: the bot-connect route, which redirects to Discord. */
  connectHref: string;
  /** Reads the connection state while CONNECTING; defaults to the organization's bot status route. */
  fetchState?: () => Promise<ConnectionState>;
  pollMs?: number;
};

export const CONNECT_LABEL: Record<ConnectionState, string> = {
  DISCONNECTED: "Connect Discord Bot",
  CONNECTING: "Connecting...",
  CONNECTED: "Connected",
  ERROR: "Retry Connection",
};

async function defaultFetchState(slug: string): Promise<ConnectionState> {
  const body = await apiFetch<{ connection?: { state?: ConnectionState } | null; state?: ConnectionState }>(
    `/api/orgs/${encodeURIComponent(slug)}/bot`,
  );
  return body.connection?.state ?? body.state ?? "DISCONNECTED";
}

/**
 * The bot connection in four states: Connect Discord Bot / Connecting... (spinner, polls every 2 s until it
 * settles) / Connected / Retry Connection.
 */
export function ConnectButton({ slug, state: initial, connectHref, fetchState, pollMs = 2000 }: ConnectButtonProps) {
  const router = useRouter();
  const [state, setState] = useState(initial);
  const fetcher = useRef(fetchState ?? (() => defaultFetchState(slug)));
  useEffect(() => {
    fetcher.current = fetchState ?? (() => defaultFetchState(slug));
  });

  // A new server render with another state replaces ours (adjusted during render, not in an effect).
  const [shownInitial, setShownInitial] = useState(initial);
  if (shownInitial !== initial) {
    setShownInitial(initial);
    setState(initial);
  }

  useEffect(() => {
    if (state !== "CONNECTING") return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const next = await fetcher.current();
        if (!stopped && next !== "CONNECTING") {
          setState(next);
          router.refresh();
        }
      } catch {
        // Keep polling: a failed status read says nothing about the connection.
      }
    }, pollMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [state, pollMs, router]);

  if (state === "CONNECTING") {
    return (
      <button type="button" className={buttonClass("secondary")} disabled aria-busy="true">
        <Spinner size="sm" label="" />
        {CONNECT_LABEL.CONNECTING}
      </button>
    );
  }
  if (state === "CONNECTED") {
    return (
      <span className={styles.connected} role="status">
        <span aria-hidden="true">✓</span> {CONNECT_LABEL.CONNECTED}
      </span>
    );
  }
  return (
    <a href={connectHref} className={buttonClass("primary")} onClick={() => setState("CONNECTING")}>
      {CONNECT_LABEL[state]}
    </a>
  );
}
