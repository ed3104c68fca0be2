// Cross-instance cache invalidation: every instance LISTENs on one PostgreSQL channel over a dedicated connection
// (pooled connections cannot hold a LISTEN) and reconnects with backoff; senders use pg_notify in their own
// transaction, so the message goes out with the commit.
import pg from "pg";
import { logger } from "@/lib/logger";

export const TOKEN_INVALIDATION_CHANNEL = "guildgate_token_invalidation";

export type InvalidationMessage = { guildId?: string; organizationId?: string };

export type InvalidationListenerOptions = {
  connectionString: string;
  onMessage: (message: InvalidationMessage) => void;
  /** Called after a reconnect: messages sent meanwhile were lost. */
  onReconnect: () => void;
  channel?: string;
};

export type InvalidationListener = { ready: Promise<void>; stop: () => Promise<void> };

export function startInvalidationListener(options: InvalidationListenerOptions): InvalidationListener {
  const channel = options.channel ?? TOKEN_INVALIDATION_CHANNEL;
  let client: pg.Client | undefined;
  let stopped = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const schedule = () => {
    if (stopped || timer) return;
    const delay = Math.min(30_000, 250 * 2 ** Math.min(attempt++, 7));
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: options.connectionString, connectionTimeoutMillis: 3_000 });
    next.on("notification", (n) => {
      if (n.channel !== channel || !n.payload) return;
      try {
        options.onMessage(JSON.parse(n.payload) as InvalidationMessage);
      } catch {
        logger.warn({ channel }, "ignored a malformed token invalidation message");
      }
    });
    next.on("error", () => {
      if (client === next) client = undefined;
      next.end().catch(() => {});
      schedule();
    });
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
    if (attempt > 0) options.onReconnect();
    attempt = 0;
    client = next;
    next.on("end", () => {
      if (client === next) {
        client = undefined;
        attempt = Math.max(attempt, 1);
        schedule();
      }
    });
    markReady();
  }

  void connect();
  return {
    ready,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
