import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

const valid = {
  DATABASE_URL: "postgresql://u:p@localhost:5432/db",
  STATE_SIGNING_SECRET: "k3J9x!Qa7wPz2Lm8Rt5Yv1Bn6Cd4Ef0Gh",
  VAULT_KEYS: `2:${Buffer.alloc(32, 1).toString("base64")},1:${Buffer.alloc(32, 2).toString("base64")}`,
};

function errorOf(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (e) {
    return e as EnvError;
  }
  throw new Error("expected parseEnv to throw");
}

describe("parseEnv", () => {
  it("accepts a complete environment and parses the keyring", () => {
    const env = parseEnv(valid);
    expect([...env.VAULT_KEYS.keys()]).toEqual([2, 1]);
    expect(env.VAULT_KEYS.get(2)).toHaveLength(32);
    expect(env.DISCORD_APPROVED_ROLE_NAME).toBe("Approved");
  });

  it("has retention defaults (audit 400 days) and names a bad retention value", () => {
    const env = parseEnv(valid);
    expect(env).toMatchObject({
      AUDIT_RETENTION_DAYS: 400,
      IDEMPOTENCY_KEY_RETENTION_DAYS: 30,
      FAILED_JOB_RETENTION_DAYS: 30,
      CLEANUP_BATCH_SIZE: 1000,
    });
    expect(parseEnv({ ...valid, AUDIT_RETENTION_DAYS: "90" }).AUDIT_RETENTION_DAYS).toBe(90);
    expect(errorOf({ ...valid, AUDIT_RETENTION_DAYS: "0" }).variables).toEqual(["AUDIT_RETENTION_DAYS"]);
  });

  it("names a missing signing secret (there is no default)", () => {
    const error = errorOf({ ...valid, STATE_SIGNING_SECRET: undefined });
    expect(error).toBeInstanceOf(EnvError);
    expect(error.variables).toEqual(["STATE_SIGNING_SECRET"]);
    expect(error.message).toContain("STATE_SIGNING_SECRET");
  });

  it("rejects short and weak secrets", () => {
    expect(errorOf({ ...valid, STATE_SIGNING_SECRET: "short" }).variables).toEqual(["STATE_SIGNING_SECRET"]);
    expect(errorOf({ ...valid, STATE_SIGNING_SECRET: "a".repeat(40) }).message).toContain("too weak");
  });

  it("rejects vault keys that are not 32 bytes, without echoing them", () => {
    const bad = `1:${Buffer.alloc(16, 9).toString("base64")}`;
    const error = errorOf({ ...valid, VAULT_KEYS: bad });
    expect(error.variables).toEqual(["VAULT_KEYS"]);
    expect(error.message).not.toContain(bad);
  });

  it("requires DATABASE_URL to be a URL", () => {
    expect(errorOf({ ...valid, DATABASE_URL: "not a url" }).variables).toEqual(["DATABASE_URL"]);
  });
});
