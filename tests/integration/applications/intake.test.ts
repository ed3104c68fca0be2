import { describe, expect, it } from "vitest";
import { listApplications } from "@/lib/applications/queries/list-applications";
import { submitApplication } from "@/lib/applications/intake/submit-application";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { addQuestion, createApplication, createOrgWithGuild, newSnowflake } from "~tests/helpers/applications";

async function errorOf(promise: Promise<unknown>): Promise<{ code: string } | { name: string }> {
  try {
    await promise;
  } catch (error) {
    return error instanceof AppError ? { code: error.code } : { name: (error as Error).name };
  }
  return { name: "no error" };
}

async function orgWithQuestion() {
  const { organization } = await createOrgWithGuild();
  const question = await addQuestion({
    organizationId: organization.id,
    label: "Why?",
    kind: "SHORT_TEXT",
    position: 0,
    maxLength: 50,
  });
  return { organization, question };
}

describe("submitApplication", () => {
  it("stores validated answers with the question wording and audits the submission", async () => {
    const { organization, question } = await orgWithQuestion();
    const discordId = newSnowflake();
    const { application, created } = await submitApplication({
      organizationId: organization.id,
      applicantDiscordId: discordId,
      applicantName: "Ada",
      answers: { [question.id]: "Because" },
      source: "API",
    });
    expect(created).toBe(true);
    expect(application).toMatchObject({ status: "PENDING", source: "API", applicantDiscordId: discordId });
    expect(application.answers).toEqual([
      { questionId: question.id, key: question.key, label: "Why?", kind: "SHORT_TEXT", value: "Because" },
    ]);
    expect(await db.auditEvent.count({ where: { action: "application.submit", targetId: application.id } })).toBe(1);
  });

  it("returns the first result for a repeated Idempotency-Key, and refuses the key for a different applicant", async () => {
    const { organization, question } = await orgWithQuestion();
    const input = {
      organizationId: organization.id,
      applicantDiscordId: newSnowflake(),
      applicantName: "Ada",
      answers: { [question.id]: "Because" },
      source: "API" as const,
      idempotencyKey: "key-1",
    };
    const results = await Promise.all([submitApplication(input), submitApplication(input), submitApplication(input)]);
    expect(new Set(results.map((r) => r.application.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.application.count()).toBe(1);

    expect(await errorOf(submitApplication({ ...input, applicantDiscordId: newSnowflake() }))).toEqual({
      code: "conflict",
    });
    expect(await db.application.count()).toBe(1);
  });

  it("rejects invalid Discord ids and invalid answers without writing", async () => {
    const { organization, question } = await orgWithQuestion();
    const base = { organizationId: organization.id, applicantName: "Ada", source: "API" as const };
    for (const bad of ["", "12345", "123'; DROP TABLE users--", "<script>alert(1)</script>", "99999999999999999999"]) {
      expect(
        await errorOf(submitApplication({ ...base, applicantDiscordId: bad, answers: { [question.id]: "x" } })),
      ).toEqual({ code: "invalid_discord_user_id" });
    }
    expect(await errorOf(submitApplication({ ...base, applicantDiscordId: newSnowflake(), answers: {} }))).toEqual({
      name: "ZodError",
    });
    expect(await db.application.count()).toBe(0);
  });

  it("allows one open application per applicant per organization", async () => {
    const { organization, question } = await orgWithQuestion();
    const other = await orgWithQuestion();
    const applicantDiscordId = newSnowflake();
    const input = { applicantDiscordId, applicantName: "Ada", source: "WEB" as const };
    await submitApplication({ ...input, organizationId: organization.id, answers: { [question.id]: "a" } });
    expect(
      await errorOf(submitApplication({ ...input, organizationId: organization.id, answers: { [question.id]: "b" } })),
    ).toEqual({ code: "already_exists" });
    // Another organization is independent.
    await submitApplication({ ...input, organizationId: other.organization.id, answers: { [other.question.id]: "c" } });
    expect(await db.application.count()).toBe(2);
  });

  it("refuses a new application while the applicant's previous one is approved (409 already_exists); a rejected one may reapply", async () => {
    const { organization, question } = await orgWithQuestion();
    const input = {
      applicantDiscordId: newSnowflake(),
      applicantName: "Ada",
      source: "WEB" as const,
      organizationId: organization.id,
    };
    for (const status of [
      "APPROVED",
      "APPROVED_PENDING_ROLE",
      "APPROVED_ROLE_ASSIGNED",
      "APPROVED_ROLE_FAILED",
    ] as const) {
      const { application } = await submitApplication({ ...input, answers: { [question.id]: "a" } });
      await db.application.update({ where: { id: application.id }, data: { status } });
      expect(await errorOf(submitApplication({ ...input, answers: { [question.id]: "b" } })), status).toEqual({
        code: "already_exists",
      });
      await db.application.update({ where: { id: application.id }, data: { status: "REJECTED" } });
    }
    await submitApplication({ ...input, answers: { [question.id]: "c" } });
    expect(await db.application.count({ where: { organizationId: organization.id, status: "PENDING" } })).toBe(1);
  });
});

describe("listApplications", () => {
  it("pages newest first by keyset without repeats or gaps, filtered by status and organization", async () => {
    const { organization } = await createOrgWithGuild();
    const other = await createOrgWithGuild();
    const base = Date.parse("2026-01-01T00:00:00Z");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      // Two rows share each timestamp so the id tie-breaker matters.
      const app = await createApplication({
        organizationId: organization.id,
        createdAt: new Date(base + Math.floor(i / 2) * 1000),
        status: i === 3 ? "REJECTED" : "PENDING",
      });
      ids.push(app.id);
    }
    await createApplication({ organizationId: other.organization.id });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listApplications>> = await listApplications({
        organizationId: organization.id,
        cursor,
        limit: 3,
      });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(ids));
    const rows = await db.application.findMany({ where: { id: { in: seen } } });
    const order = seen.map((id) => rows.find((r) => r.id === id)!);
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [order[i - 1]!, order[i]!];
      expect(a.createdAt > b.createdAt || (a.createdAt.getTime() === b.createdAt.getTime() && a.id > b.id)).toBe(true);
    }

    const rejected = await listApplications({ organizationId: organization.id, status: "REJECTED", limit: 10 });
    expect(rejected.items.map((a) => a.id)).toEqual([ids[3]]);
    expect(await errorOf(listApplications({ organizationId: organization.id, cursor: "garbage", limit: 10 }))).toEqual({
      code: "bad_request",
    });
  });
});
