import { afterEach, describe, expect, it, vi } from "vitest";
import { SignJWT, UnsecuredJWT } from "jose";
import { db } from "@/lib/db";
import { EnvError, parseEnv } from "@/lib/env";
import {
  cleanupStateNonces,
  signStateToken,
  StateTokenError,
  verifyStateToken,
  type VerifyStateTokenOptions,
} from "@/lib/security/state-token";

afterEach(() => vi.useRealTimers());

const secret = new TextEncoder().encode(process.env.STATE_SIGNING_SECRET!);
const ORG = "2b0c7a52-8c1e-4d53-9e3a-0d0b8a1f2c11";
const USER = "7e4b1a90-3f2d-4c5e-9a8b-1c2d3e4f5a6b";

async function codeOf(token: string, options: VerifyStateTokenOptions): Promise<string> {
  try {
    await verifyStateToken(token, options);
  } catch (error) {
    if (error instanceof StateTokenError) return error.code;
    throw error;
  }
  return "OK";
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("signStateToken / verifyStateToken", () => {
  it("round-trips the claims and consumes the state", async () => {
    const token = await signStateToken({
      purpose: "bot-connect",
      organizationId: ORG,
      userId: USER,
      redirectTo: "/dashboard/x",
    });
    const header = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString());
    expect(header.alg).toBe("HS256");
    const payload = await verifyStateToken(token, { purpose: "bot-connect", userId: USER });
    expect(payload).toMatchObject({
      purpose: "bot-connect",
      organizationId: ORG,
      userId: USER,
      redirectTo: "/dashboard/x",
    });
    expect(payload.expiresAt.getTime() - payload.issuedAt.getTime()).toBe(5 * 60 * 1000);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await db.oAuthStateNonce.count({ where: { jti: payload.jti } })).toBe(1);
  });

  it("gives every state its own jti", async () => {
    const a = await signStateToken({ purpose: "login" });
    const b = await signStateToken({ purpose: "login" });
    expect(a).not.toBe(b);
    expect((await verifyStateToken(a, { purpose: "login" })).jti).not.toBe(
      (await verifyStateToken(b, { purpose: "login" })).jti,
    );
  });

  it("rejects a second use with REPLAYED", async () => {
    const token = await signStateToken({ purpose: "apply", organizationId: ORG });
    expect(await codeOf(token, { purpose: "apply" })).toBe("OK");
    expect(await codeOf(token, { purpose: "apply" })).toBe("REPLAYED");
  });

  it("lets exactly one of two concurrent uses through", async () => {
    const token = await signStateToken({ purpose: "login" });
    const codes = await Promise.all([codeOf(token, { purpose: "login" }), codeOf(token, { purpose: "login" })]);
    expect(codes.sort()).toEqual(["OK", "REPLAYED"]);
  });

  it("rejects a tampered payload (another organization id, not re-signed) with INVALID", async () => {
    const token = await signStateToken({ purpose: "bot-connect", organizationId: ORG, userId: USER });
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = [header, b64json({ ...claims, org: "00000000-0000-4000-8000-000000000000" }), signature].join(".");
    expect(await codeOf(forged, { purpose: "bot-connect", userId: USER })).toBe("INVALID");
    expect(await db.oAuthStateNonce.count()).toBe(0);
  });

  it("rejects one changed signature character with INVALID", async () => {
    const token = await signStateToken({ purpose: "bot-connect", organizationId: ORG });
    const [header, payload, signature] = token.split(".");
    // A middle character: the last one of a 32-byte base64url value carries unused bits.
    const i = 10;
    const changed = signature!.slice(0, i) + (signature![i] === "A" ? "B" : "A") + signature!.slice(i + 1);
    expect(await codeOf([header, payload, changed].join("."), { purpose: "bot-connect" })).toBe("INVALID");
    expect(await codeOf(token, { purpose: "bot-connect" })).toBe("OK");
  });

  it("rejects a sibling spelling of the signature's last character (same bytes, unused bits changed)", async () => {
    const token = await signStateToken({ purpose: "bot-connect", organizationId: ORG });
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // 32 bytes take 43 characters; the last one carries 2 unused bits.
    const sibling = signature.slice(0, -1) + alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1];
    expect(Buffer.from(sibling, "base64url")).toEqual(Buffer.from(signature, "base64url"));
    expect(await codeOf([header, payload, sibling].join("."), { purpose: "bot-connect" })).toBe("INVALID");
    expect(await codeOf(token, { purpose: "bot-connect" })).toBe("OK");
  });

  it("expires after 5 minutes (30 s skew): rejected at 6 minutes with EXPIRED", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-05-01T12:00:00Z") });
    const late = await signStateToken({ purpose: "login" });
    const withinSkew = await signStateToken({ purpose: "login" });
    vi.setSystemTime(new Date("2026-05-01T12:05:25Z"));
    expect(await codeOf(withinSkew, { purpose: "login" })).toBe("OK");
    vi.setSystemTime(new Date("2026-05-01T12:06:00Z"));
    expect(await codeOf(late, { purpose: "login" })).toBe("EXPIRED");
  });

  it("rejects the old unsigned base64 state", async () => {
    const legacy = Buffer.from(JSON.stringify({ org_id: ORG })).toString("base64");
    expect(await codeOf(legacy, { purpose: "bot-connect" })).toBe("INVALID");
    expect(await codeOf("", { purpose: "bot-connect" })).toBe("INVALID");
    expect(await codeOf("a.b.c", { purpose: "bot-connect" })).toBe("INVALID");
    expect(await codeOf("x".repeat(5000), { purpose: "bot-connect" })).toBe("INVALID");
  });

  it("accepts only HS256 with our secret", async () => {
    const claims = { org: ORG };
    const unsecured = new UnsecuredJWT(claims)
      .setIssuer("guildgate")
      .setAudience("bot-connect")
      .setIssuedAt()
      .setExpirationTime("5m")
      .setJti("j1")
      .encode();
    const hs512 = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS512" })
      .setIssuer("guildgate")
      .setAudience("bot-connect")
      .setIssuedAt()
      .setExpirationTime("5m")
      .setJti("j2")
      .sign(secret);
    const otherSecret = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("guildgate")
      .setAudience("bot-connect")
      .setIssuedAt()
      .setExpirationTime("5m")
      .setJti("j3")
      .sign(new TextEncoder().encode("another-secret-of-sufficient-length-0123456789"));
    // alg "none" relabelled onto a genuinely signed token's body, with and without the signature.
    const [, body, sig] = (await signStateToken({ purpose: "bot-connect" })).split(".");
    const noneHeader = b64json({ alg: "none", typ: "JWT" });
    for (const token of [unsecured, hs512, otherSecret, `${noneHeader}.${body}.`, `${noneHeader}.${body}.${sig}`]) {
      expect(await codeOf(token, { purpose: "bot-connect" }), token).toBe("INVALID");
    }
  });

  it("requires exp and jti", async () => {
    const base = () =>
      new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setIssuer("guildgate").setAudience("login").setIssuedAt();
    const noExp = await base().setJti("no-exp").sign(secret);
    const noJti = await base().setExpirationTime("5m").sign(secret);
    const longLived = await base().setJti("long").setExpirationTime("2h").sign(secret);
    expect(await codeOf(noExp, { purpose: "login" })).toBe("INVALID");
    expect(await codeOf(noJti, { purpose: "login" })).toBe("INVALID");
    // Signed with our secret but for longer than a state lives: refused once older than 5 minutes.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(Date.now() + 10 * 60 * 1000) });
    expect(await codeOf(longLived, { purpose: "login" })).toBe("EXPIRED");
  });

  it("rejects an iat in the future beyond the skew", async () => {
    const future = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("guildgate")
      .setAudience("login")
      .setIssuedAt(Math.floor(Date.now() / 1000) + 120)
      .setExpirationTime("10m")
      .setJti("future")
      .sign(secret);
    expect(await codeOf(future, { purpose: "login" })).toBe("INVALID");
  });

  it("rejects another purpose with WRONG_PURPOSE, without consuming it", async () => {
    const token = await signStateToken({ purpose: "login" });
    expect(await codeOf(token, { purpose: "bot-connect" })).toBe("WRONG_PURPOSE");
    expect(await codeOf(token, { purpose: "apply" })).toBe("WRONG_PURPOSE");
    expect(await codeOf(token, { purpose: "login" })).toBe("OK");
  });

  it("binds the state to its user: another user (or none) gets WRONG_USER, the owner can still finish", async () => {
    const token = await signStateToken({ purpose: "bot-connect", organizationId: ORG, userId: USER });
    expect(await codeOf(token, { purpose: "bot-connect", userId: "someone-else" })).toBe("WRONG_USER");
    expect(await codeOf(token, { purpose: "bot-connect" })).toBe("WRONG_USER");
    expect(await codeOf(token, { purpose: "bot-connect", userId: USER })).toBe("OK");
    const unbound = await signStateToken({ purpose: "bot-connect" });
    expect(await codeOf(unbound, { purpose: "bot-connect", userId: USER })).toBe("WRONG_USER");
  });

  it("never reveals the state or the secret in an error", async () => {
    const token = await signStateToken({ purpose: "login", redirectTo: "/private-path" });
    const error = await verifyStateToken(token.slice(0, -3) + "AAA", { purpose: "login" }).catch((e: Error) => e);
    const text = `${(error as Error).message} ${(error as Error).stack}`;
    expect(text).not.toContain(token.split(".")[1]!);
    expect(text).not.toContain(process.env.STATE_SIGNING_SECRET!);
  });
});

describe("consumed-state cleanup", () => {
  it("drops rows past their expiry on the next verification and keeps live ones", async () => {
    const now = Date.now();
    await db.oAuthStateNonce.createMany({
      data: [
        { jti: "old-1", purpose: "login", expiresAt: new Date(now - 60_000) },
        { jti: "old-2", purpose: "apply", expiresAt: new Date(now - 1) },
        { jti: "live", purpose: "login", expiresAt: new Date(now + 60_000) },
      ],
    });
    await verifyStateToken(await signStateToken({ purpose: "login" }), { purpose: "login" });
    const left = (await db.oAuthStateNonce.findMany({ select: { jti: true } })).map((r) => r.jti);
    expect(left).toHaveLength(2);
    expect(left).toContain("live");
    expect(await cleanupStateNonces({ now: new Date(now + 10 * 60_000) })).toBe(2);
  });

  it("keeps a consumed jti at least until the state could no longer pass the expiry check", async () => {
    const token = await signStateToken({ purpose: "login" });
    const { jti, expiresAt } = await verifyStateToken(token, { purpose: "login" });
    const row = await db.oAuthStateNonce.findUniqueOrThrow({ where: { jti } });
    expect(row.expiresAt.getTime()).toBeGreaterThanOrEqual(expiresAt.getTime() + 30_000);
  });
});

describe("STATE_SIGNING_SECRET", () => {
  it("has no default: absent or shorter than 32 characters stops start-up", () => {
    const base = {
      DATABASE_URL: "postgresql://u@localhost/db",
      VAULT_KEYS: `1:${Buffer.alloc(32, 1).toString("base64")}`,
    };
    expect(() => parseEnv(base)).toThrow(EnvError);
    expect(() => parseEnv({ ...base, STATE_SIGNING_SECRET: "k3J9x!Qa7wPz2Lm8Rt5Yv1Bn6Cd4Ef0" })).toThrow(
      /STATE_SIGNING_SECRET/,
    );
  });
});
