// Cross-instance cache invalidation: every instance LISTENs on one PostgreSQL channel over a dedicated connection
// (pooled connections cannot hold a LISTEN); senders use pg_notify in their own transaction, so the message goes
// out with the commit. Notifications sent while the connection is down are lost, so the listener says whether it
// is connected (a cache must not trust itself meanwhile), reconnects within a second (never backing off further:
// every second of backoff is a second of untrusted cache), and calls onReconnect once listening again.
import pg from "pg";
import { logger } from "@/lib/logger";

export const TOKEN_INVALIDATION_CHANNEL = "guildgate_token_invalidation";

export type InvalidationMessage = { guildId?: string; organizationId?: string };

export type InvalidationListenerOptions = {
  connectionString: string;
  onMessage: (message: InvalidationMessage) => void;
  /** Called each time LISTEN is in place (the first time too): messages sent before were not seen. */
  onReconnect: () => void;
  channel?: string;
  /** Reconnect delays in ms, the last one repeating (default 100, 250, 500, 1000). */
  retryDelaysMs?: number[];
};

export type InvalidationListener = {
  ready: Promise<void>;
  /** True while LISTEN is in place; while false, notifications may be missed. */
  readonly connected: boolean;
  stop: () => Promise<void>;
};

const DEFAULT_DELAYS = [100, 250, 500, 1_000];

export function startInvalidationListener(options: InvalidationListenerOptions): InvalidationListener {
  const channel = options.channel ?? TOKEN_INVALIDATION_CHANNEL;
  const delays = options.retryDelaysMs ?? DEFAULT_DELAYS;
  let client: pg.Client | undefined;
  let stopped = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const schedule = () => {
    if (stopped || timer) return;
    const delay = delays[Math.min(attempt++, delays.length - 1)]!;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref();
  };

  const lost = (which: pg.Client) => {
    if (client !== which) return;
    client = undefined;
    which.end().catch(() => {});
    schedule();
  };

  async function connect(): Promise<void> {
    // keepAlive: a connection silently dropped by the network is noticed by TCP, not only by the next query.
    const next = new pg.Client({
      connectionString: options.connectionString,
      connectionTimeoutMillis: 3_000,
      keepAlive: true,
    });
    next.on("notification", (n) => {
      if (n.channel !== channel || !n.payload) return;
      try {
        options.onMessage(JSON.parse(n.payload) as InvalidationMessage);
      } catch {
        logger.warn({ channel }, "ignored a malformed token invalidation message");
      }
    });
    next.on("error", () => lost(next));
    next.on("end", () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch {
      next.end().catch(() => {});
      schedule();
      return;
    }
    if (stopped) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    attempt = 0;
    // Also the first time: anything cached before LISTEN was in place was not covered by notifications either.
    options.onReconnect();
    markReady();
  }

  void connect();
  return {
    ready,
    get connected() {
      return client !== undefined;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
