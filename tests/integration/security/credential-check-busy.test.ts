// Issue 11 item 6: bot-token checks queued behind a long-held per-organization lock answer 503 with Retry-After
// (never a 500 from Prisma's transaction timeout, P2028), and the check proceeds once the lock is free.
import { Client } from "pg";
import { expect, it } from "vitest";
import { reserveCredentialCheck } from "@/lib/bot-connection/credential-check-limit";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { createOrgWithMember } from "~tests/helpers/auth";

it("a lock held longer than the wait limit gives 503 service_unavailable with Retry-After, not a timeout error", async () => {
  const { organization, user } = await createOrgWithMember("OWNER");
  const holder = new Client({ connectionString: env.DATABASE_URL });
  await holder.connect();
  try {
    await holder.query("BEGIN");
    await holder.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `guildgate:credential-check:${organization.id}`,
    ]);
    const results = await Promise.allSettled(
      Array.from({ length: 3 }, () =>
        reserveCredentialCheck({
          organizationId: organization.id,
          actor: { userId: user.id },
          applicationId: "1200000000000000010",
        }),
      ),
    );
    for (const result of results) {
      expect(result.status).toBe("rejected");
      const error = (result as PromiseRejectedResult).reason;
      expect(error, String(error)).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "service_unavailable", status: 503 });
      expect((error as AppError).retryAfter).toBeGreaterThan(0);
    }
  } finally {
    await holder.query("ROLLBACK");
    await holder.end();
  }
  await reserveCredentialCheck({
    organizationId: organization.id,
    actor: { userId: user.id },
    applicationId: "1200000000000000010",
  });
}, 60_000);
