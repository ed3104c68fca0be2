import { describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { AppError } from "@/lib/errors/app-error";
import {
  asServiceUnavailable,
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  SERVICE_UNAVAILABLE_DIGEST,
} from "@/lib/errors/database-unavailable";
import { route } from "@/lib/http/route";

const known = (code: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError("x", { code, clientVersion: "6.19.0", meta });
const withCode = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error("x"), { code, ...extra });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["P1001 cannot reach the server", known("P1001")],
    ["P1017 server closed the connection", known("P1017")],
    ["P2024 pool timeout", known("P2024")],
    [
      "P2010 raw query with the adapter's DatabaseNotReachable",
      known("P2010", {
        driverAdapterError: { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable", host: "h", port: 1 } },
      }),
    ],
    ["an adapter ConnectionClosed", known("P2010", { driverAdapterError: { cause: { kind: "ConnectionClosed" } } })],
    [
      "an unmapped PostgreSQL 57P01 through the adapter",
      known("P2010", { driverAdapterError: { cause: { kind: "postgres", code: "57P01" } } }),
    ],
    ["node ECONNREFUSED", withCode("ECONNREFUSED", { syscall: "connect" })],
    ["pg 57P01 admin shutdown", withCode("57P01", { severity: "FATAL" })],
    ["pg 08006 connection failure", withCode("08006")],
    ["pg 57P03 cannot connect now", withCode("57P03")],
    ["a wrapped cause", new Error("outer", { cause: withCode("ECONNRESET") })],
    [
      "an AggregateError of refused connections",
      new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")]),
    ],
  ])("classifies %s as an outage", (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique violation", known("P2002")],
    [
      "a raw query syntax error",
      known("P2010", { driverAdapterError: { cause: { kind: "postgres", code: "42601" } } }),
    ],
    ["a TypeError", new TypeError("undefined is not a function")],
    // By code, never by message: text that mentions a connection problem is not a code.
    ["an error that only says ECONNREFUSED in its message", new Error("connect ECONNREFUSED 127.0.0.1:5432")],
    ["an AppError", new AppError("not_found", "Nope.")],
    [
      "an AppError caused by a network reset (a Discord call)",
      new AppError("discord_unavailable", "Discord failed.", { cause: withCode("ECONNRESET") }),
    ],
    ["a string", "ECONNREFUSED"],
  ])("does not classify %s", (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("turns an outage into the typed 503 error with the page digest, and leaves others alone", () => {
    const typed = asServiceUnavailable(known("P1001"));
    expect(typed).toBeInstanceOf(DatabaseUnavailableError);
    expect(typed).toMatchObject({
      code: "service_unavailable",
      status: 503,
      retryAfter: 5,
      digest: SERVICE_UNAVAILABLE_DIGEST,
    });
    const bug = new TypeError("bug");
    expect(asServiceUnavailable(bug)).toBe(bug);
  });
});

describe("route() during an outage", () => {
  it("answers 503 with Retry-After for a connection error and 500 for a bug", async () => {
    const ctx = { params: Promise.resolve({}) };
    const outage = await route(async () => {
      throw known("P1001");
    })(new Request("http://localhost/x"), ctx);
    expect(outage.status).toBe(503);
    expect(outage.headers.get("retry-after")).toBe("5");
    expect((await outage.json()).error.code).toBe("service_unavailable");
    const bug = await route(async () => {
      throw known("P2002");
    })(new Request("http://localhost/x"), ctx);
    expect(bug.status).toBe(500);
  });
});
