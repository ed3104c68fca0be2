// A webhook receiver on 127.0.0.1 (a real HTTP server): records every request, verifies Standard Webhooks
// signatures with the `standardwebhooks` package when given the secret, and answers what the test says.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { http as mswHttp, passthrough } from "msw";
import { Webhook } from "standardwebhooks";
import { server as msw } from "~tests/msw/server";

export type ReceivedWebhook = { id: string; headers: Record<string, string>; body: string; verified: boolean | null };

export type ReceiverOptions = {
  secret?: string;
  /**
   * The status to answer (default 200), "hang" to keep the request open until the receiver closes, or a promise of
   * the status (a slow receiver: the answer goes out when it settles).
   */
  respond?: (request: ReceivedWebhook, index: number) => number | "hang" | Promise<number>;
};

export type Receiver = {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** Distinct webhook-ids received: what a receiver that dedupes by id processes. */
  uniqueIds: () => string[];
  setSecret: (secret: string) => void;
  close: () => Promise<void>;
};

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  let secret = options.secret;
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let verified: boolean | null = null;
      if (secret) {
        try {
          new Webhook(secret).verify(body, headers);
          verified = true;
        } catch {
          verified = false;
        }
      }
      const entry = { id: headers["webhook-id"] ?? "", headers, body, verified };
      received.push(entry);
      const status = options.respond?.(entry, received.length - 1) ?? (verified === false ? 400 : 200);
      if (status === "hang") {
        hanging.add(res);
        return;
      }
      const answer = (code: number) => res.writeHead(code, { "content-type": "text/plain" }).end("ok");
      if (typeof status === "number") answer(status);
      else {
        hanging.add(res);
        void status.then((code) => {
          hanging.delete(res);
          if (!res.destroyed) answer(code);
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    uniqueIds: () => [...new Set(received.map((r) => r.id))],
    setSecret: (s) => {
      secret = s;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A host name that never resolves through DNS; tests resolve it themselves (the delivery's `lookup`). */
export const TEST_HOST = "receiver.invalid";

/** msw keeps tests off the network; local receivers (127.0.0.1, TEST_HOST) are let through. Call in beforeEach. */
export function letLocalReceiversThrough(): void {
  msw.use(mswHttp.all(/^http:\/\/(127\.0\.0\.1|receiver\.invalid):\d+\//, () => passthrough()));
}
