// Where a delivery may go. The URL is checked when saved (scheme, no credentials) and again at delivery time after
// DNS resolution: every resolved address must be public unless private destinations are allowed, and the request
// then connects to the address we checked (a pinned lookup), so a DNS answer that changes between the check and
// the connection (rebinding) cannot reach an internal service.
import dns from "node:dns/promises";
import net from "node:net";
import { AppError } from "@/lib/errors/app-error";
import { errorBrand } from "@/lib/errors/brand";

// IANA special-purpose ranges: private, loopback, link-local, CGNAT, unspecified, multicast, documentation, ...
// Two lists: one BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules, so ::ffff:0:0/96 would block
// every IPv4 address.
const BLOCKED_V4 = new net.BlockList();
const BLOCKED_V6 = new net.BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  BLOCKED_V4.addSubnet(address, prefix, "ipv4");
}
for (const [address, prefix] of [
  // IPv4-compatible (deprecated, ::a.b.c.d; includes :: and ::1), IPv4-mapped and IPv4-translated (SIIT,
  // ::ffff:0:a.b.c.d) forms: each can carry 127.0.0.1 or 169.254.169.254 to a stack that still honours it.
  ["::", 96],
  ["::ffff:0:0", 96],
  ["::ffff:0:0:0", 96],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  // Site-local (deprecated by RFC 3879, still routed internally by some networks).
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  BLOCKED_V6.addSubnet(address, prefix, "ipv6");
}

/** True for addresses in private, loopback, link-local and other special-purpose ranges (IPv4-mapped IPv6 too). */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return BLOCKED_V4.check(address, "ipv4");
  if (family === 6) return BLOCKED_V6.check(address, "ipv6");
  return true;
}

/** Checks a URL's form when an endpoint is saved (400 with the reason in words). */
export function parseEndpointUrl(raw: string, options: { production: boolean }): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("validation_failed", "url must be an absolute URL such as https://example.com/hooks.", {
      details: [{ path: "url", message: "Not a URL." }],
    });
  }
  const allowed = options.production ? ["https:"] : ["https:", "http:"];
  if (!allowed.includes(url.protocol)) {
    throw new AppError(
      "validation_failed",
      `url must start with ${options.production ? "https://" : "https:// or http://"}.`,
      { details: [{ path: "url", message: "Unsupported scheme." }] },
    );
  }
  if (url.username || url.password) {
    throw new AppError("validation_failed", "url must not contain a user name or password.", {
      details: [{ path: "url", message: "Credentials in the URL." }],
    });
  }
  return url;
}

const REFUSED_BRAND = errorBrand("webhook-destination-refused");

/**
 * A destination refused at delivery time; `message` is safe to store in the delivery log: it never says what a
 * host resolved to (a tenant must not learn our internal names' addresses).
 */
export class DestinationRefusedError extends Error {
  readonly code = "destination_refused";
  constructor(message: string) {
    super(message);
    REFUSED_BRAND.mark(this);
  }
}

/** By brand, not instanceof (a second copy of this module would make a refusal look like a crash). */
export function isDestinationRefused(error: unknown): error is DestinationRefusedError {
  return REFUSED_BRAND.of(error) === true;
}

/** What the delivery log says for a private destination: no address, no host-to-address mapping. */
export const PRIVATE_DESTINATION_REFUSED =
  "Refused: private address. Deliveries go only to public addresses (not private, loopback, link-local or other special-purpose ranges).";

export type ResolvedDestination = { url: URL; address: string; family: 4 | 6 };

export type ResolveDestinationOptions = {
  url: string;
  allowPrivate: boolean;
  lookup?: (hostname: string) => Promise<{ address: string; family: number }[]>;
};

const systemLookup = (hostname: string) => dns.lookup(hostname, { all: true, verbatim: true });

/** Resolves the host and refuses it when any address is private (an attacker may list a public one too). */
export async function resolveDestination(options: ResolveDestinationOptions): Promise<ResolvedDestination> {
  const url = new URL(options.url);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) }];
  } else {
    try {
      addresses = await (options.lookup ?? systemLookup)(host);
    } catch {
      throw new DestinationRefusedError(`The host ${host} could not be resolved.`);
    }
  }
  if (addresses.length === 0) throw new DestinationRefusedError(`The host ${host} has no address.`);
  if (!options.allowPrivate) {
    if (addresses.some((a) => isPrivateAddress(a.address)))
      throw new DestinationRefusedError(PRIVATE_DESTINATION_REFUSED);
  }
  const chosen = addresses[0]!;
  return { url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}
