// One POST to a resolved destination. The connection goes to the address the destination check approved (the
// lookup is pinned), TLS still verifies the host name, redirects are not followed, and only the status is kept:
// a receiver's body is read up to a small limit and dropped.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedDestination } from "./destination";

export type PostResult = { statusCode: number | null; latencyMs: number; error: string | null };

export type PostOptions = {
  destination: ResolvedDestination;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
};

const MAX_RESPONSE_BYTES = 64 * 1024;

export function postPinned(options: PostOptions): Promise<PostResult> {
  const { destination, body } = options;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    const { address, family } = destination;
    if ((lookupOptions as { all?: boolean }).all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const client = destination.url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: elapsed() });
    };
    const request = client.request(destination.url, {
      method: "POST",
      lookup: pinned,
      agent: false,
      headers: {
        ...options.headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        "user-agent": "Guildgate-Webhooks/1",
      },
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({ statusCode: null, error: `No response within ${Math.round(options.timeoutMs / 1000)} s.` });
    }, options.timeoutMs);
    request.on("response", (response) => {
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) response.destroy();
      });
      const done = () => {
        const statusCode = response.statusCode ?? null;
        const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
        finish({ statusCode, error: ok ? null : `The endpoint answered HTTP ${statusCode}.` });
      };
      response.on("end", done);
      response.on("close", done);
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      finish({ statusCode: null, error: describeNetworkError(error) });
    });
    request.end(body);
  });
}

/** A network failure in words for the delivery log, by code (never the message, which can quote internals). */
function describeNetworkError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ECONNREFUSED":
      return "The connection was refused.";
    case "ECONNRESET":
      return "The connection was reset before a response arrived.";
    case "ETIMEDOUT":
      return "The connection timed out.";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "The destination is unreachable.";
    default:
      return error.code?.startsWith("ERR_TLS") || error.code?.includes("CERT")
        ? "The TLS handshake failed (certificate not valid for the host?)."
        : `The request failed (${error.code ?? "network error"}).`;
  }
}
