// The forms migration on a database in the old shape: only the first migration applied, seeded like a live
// installation (questions, an approved role, applications), then the forms migration's own SQL. Existing questions
// must land in each organization's default form with keys in their order, the approved role must become that
// form's approval rule, and existing applications must belong to it.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const MIGRATIONS = path.join(process.cwd(), "prisma", "migrations");
const INIT = fs.readFileSync(path.join(MIGRATIONS, "20261122000000_init", "migration.sql"), "utf8");
const FORMS = fs.readFileSync(
  path.join(MIGRATIONS, "20261129100000_forms_role_rules_revocation", "migration.sql"),
  "utf8",
);

const { adminUrl } = inject("database");
const database = `gg_forms_migration_${process.pid}`;
let client: pg.Client;

function urlOf(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  client = new pg.Client({ connectionString: urlOf(database) });
  await client.connect();
  await client.query(INIT);
});

afterAll(async () => {
  await client?.end();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
});

const ORG_A = "00000000-0000-4000-8000-00000000000a";
const ORG_B = "00000000-0000-4000-8000-00000000000b";

async function seedOldShape() {
  await client.query(
    `INSERT INTO "Organization" (id, slug, name, "updatedAt") VALUES ($1, 'acme', 'Acme', now()), ($2, 'bare', 'Bare', now())`,
    [ORG_A, ORG_B],
  );
  await client.query(
    `INSERT INTO "DiscordConnection" ("organizationId", "guildId", "approvedRoleId", "approvedRoleName", state, "updatedAt")
     VALUES ($1, '1200000000000001000', '1200000000000001002', 'Approved', 'CONNECTED', now())`,
    [ORG_A],
  );
  // Positions out of insertion order, one archived: keys follow position.
  await client.query(
    `INSERT INTO "ApplicationQuestion" (id, "organizationId", label, kind, position, options, "archivedAt", "updatedAt") VALUES
       ('00000000-0000-4000-8000-0000000000c2', $1, 'Why?', 'LONG_TEXT', 1, '{}', NULL, now()),
       ('00000000-0000-4000-8000-0000000000c1', $1, 'Name?', 'SHORT_TEXT', 0, '{}', NULL, now()),
       ('00000000-0000-4000-8000-0000000000c3', $1, 'Timezone', 'SINGLE_CHOICE', 2, '{EU,US}', now(), now())`,
    [ORG_A],
  );
  await client.query(
    `INSERT INTO "Application" (id, "organizationId", "applicantDiscordId", "applicantName", status, "updatedAt") VALUES
       ('00000000-0000-4000-8000-0000000000a1', $1, '1200000000000000200', 'Alex', 'PENDING', now()),
       ('00000000-0000-4000-8000-0000000000a2', $1, '1200000000000000300', 'Olive', 'APPROVED_ROLE_ASSIGNED', now())`,
    [ORG_A],
  );
}

describe("the forms migration on old-shape data", () => {
  it("moves questions, the approved role and applications into a default form per organization", async () => {
    await seedOldShape();
    await client.query(FORMS);

    const forms = await client.query(
      `SELECT "organizationId"::text AS org, slug, "isDefault", "isOpen", "approveAddRoleIds", "approveRemoveRoleIds" FROM "ApplicationForm" ORDER BY slug, "organizationId"`,
    );
    expect(forms.rows).toEqual([
      {
        org: ORG_A,
        slug: "apply",
        isDefault: true,
        isOpen: true,
        approveAddRoleIds: ["1200000000000001002"],
        approveRemoveRoleIds: [],
      },
      { org: ORG_B, slug: "apply", isDefault: true, isOpen: true, approveAddRoleIds: [], approveRemoveRoleIds: [] },
    ]);
    const formA = (await client.query(`SELECT id FROM "ApplicationForm" WHERE "organizationId" = $1`, [ORG_A])).rows[0]
      .id as string;

    const questions = await client.query(
      `SELECT label, key, "formId"::text AS form, "archivedAt" IS NOT NULL AS archived FROM "ApplicationQuestion" ORDER BY position`,
    );
    expect(questions.rows).toEqual([
      { label: "Name?", key: "question_1", form: formA, archived: false },
      { label: "Why?", key: "question_2", form: formA, archived: false },
      { label: "Timezone", key: "question_3", form: formA, archived: true },
    ]);
    const apps = await client.query(`SELECT "formId"::text AS form, "roleOutcomes" FROM "Application"`);
    expect(apps.rows).toEqual([
      { form: formA, roleOutcomes: [] },
      { form: formA, roleOutcomes: [] },
    ]);

    // The new states and kinds exist, and the constraints hold on the migrated data.
    const statuses = await client.query(`SELECT unnest(enum_range(NULL::"ApplicationStatus"))::text AS v`);
    expect(statuses.rows.map((r) => r.v)).toEqual(
      expect.arrayContaining(["REVOKED_PENDING_ROLE_REMOVAL", "REVOKED", "REVOKED_ROLE_REMOVAL_FAILED"]),
    );
    const kinds = await client.query(`SELECT unnest(enum_range(NULL::"QuestionKind"))::text AS v`);
    expect(kinds.rows.map((r) => r.v)).toEqual(expect.arrayContaining(["MULTIPLE_CHOICE", "NUMBER", "URL"]));
    await expect(
      client.query(
        `INSERT INTO "ApplicationForm" ("organizationId", slug, name, "isDefault", "updatedAt") VALUES ($1, 'second', 'Second', true, now())`,
        [ORG_A],
      ),
    ).rejects.toThrow(/application_forms_one_default/);
    await expect(
      client.query(
        `INSERT INTO "ApplicationQuestion" ("organizationId", "formId", key, label, kind, position, "updatedAt") VALUES ($1, $2, 'question_1', 'Dup', 'SHORT_TEXT', 5, now())`,
        [ORG_A, formA],
      ),
    ).rejects.toThrow(/application_questions_form_key/);
    // An archived question's key may be reused.
    await client.query(
      `INSERT INTO "ApplicationQuestion" ("organizationId", "formId", key, label, kind, position, "updatedAt") VALUES ($1, $2, 'question_3', 'Again', 'SHORT_TEXT', 5, now())`,
      [ORG_A, formA],
    );
    // One open application per applicant and form.
    await expect(
      client.query(
        `INSERT INTO "Application" ("organizationId", "formId", "applicantDiscordId", "applicantName", "updatedAt") VALUES ($1, $2, '1200000000000000200', 'Alex', now())`,
        [ORG_A, formA],
      ),
    ).rejects.toThrow(/applications_open_per_applicant/);
  });
});
