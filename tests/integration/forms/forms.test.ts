// Several forms in one organization: their own questions (answered by key through the API), their own role rules
// (checked against the guild when saved), open/closed, the API's read access to forms, and the assign-role
// allowlist (approved role plus extras).
import type { Runner } from "graphile-worker";
import { afterEach, describe, expect, it } from "vitest";
import { POST as assignRole } from "@/app/api/discord/assign-role/route";
import { POST as submitApi } from "@/app/api/v1/applications/route";
import { GET as listFormsApi } from "@/app/api/v1/forms/route";
import { GET as formApi } from "@/app/api/v1/forms/[formSlug]/route";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { checkGuildHealth } from "@/lib/bot-connection/guild-health";
import { db } from "@/lib/db";
import { createForm, updateForm } from "@/lib/forms/forms";
import { updateRoleRule } from "@/lib/forms/role-rules";
import { createQuestion, listQuestions, reorderQuestions } from "@/lib/questions/questions";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { apiTokenFor, createReviewer, newSnowflake, waitFor } from "~tests/helpers/applications";
import { paramsOf } from "~tests/helpers/auth";
import { seedConnectedGuild } from "~tests/helpers/discord";
import { startTestRunner } from "~tests/helpers/job-runner";

const discord = useDiscordFake();
const VERIFIED = "1200000000000001005";
const none = paramsOf({});
const actor = { userId: null, apiTokenId: null };

let runner: Runner | undefined;
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

function apiRequest(method: string, path: string, authorization: string, body?: unknown) {
  const init: RequestInit = { method, headers: { authorization } };
  if (body !== undefined) {
    init.headers = { authorization, "content-type": "application/json" };
    init.body = JSON.stringify(body);
  }
  return new Request(`http://localhost:3000${path}`, init);
}

type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** An organization on the fake guild (platform bot) with a member form and a staff form, each with its questions and rule. */
async function twoForms() {
  discord.model.addRole(WORLD_IDS.guild, { id: VERIFIED, name: "Verified", position: 2 });
  const { organization } = await seedConnectedGuild({ guildId: WORLD_IDS.guild });
  await db.discordConnection.update({
    where: { organizationId: organization.id },
    data: { approvedRoleId: WORLD_IDS.approvedRole },
  });
  const organizationId = organization.id;
  await createQuestion({
    organizationId,
    input: { label: "How did you find us?", kind: "SHORT_TEXT", required: true },
    actor,
  });
  await createForm({
    organizationId,
    input: { name: "Staff", slug: "staff", description: "Join the team", isOpen: true },
    actor,
  });
  await createQuestion({
    organizationId,
    formSlug: "staff",
    input: { label: "Your age", key: "age", kind: "NUMBER", required: true, min: 16, max: 99 },
    actor,
  });
  await createQuestion({
    organizationId,
    formSlug: "staff",
    input: { label: "Portfolio", kind: "URL", required: false },
    actor,
  });
  await createQuestion({
    organizationId,
    formSlug: "staff",
    input: {
      label: "Areas",
      key: "areas",
      kind: "MULTIPLE_CHOICE",
      required: true,
      options: ["Events", "Moderation", "Art"],
    },
    actor,
  });
  await updateRoleRule({
    organizationId,
    slug: "staff",
    input: {
      approveAddRoleIds: [WORLD_IDS.approvedRole, VERIFIED],
      approveRemoveRoleIds: [WORLD_IDS.memberRole],
      rejectAddRoleId: null,
      restoreOnRevoke: true,
    },
    actor,
  });
  return { organization };
}

describe("two forms in one organization", () => {
  it("each form asks its own questions and applies its own role rule", async () => {
    runner = await startTestRunner();
    const { organization } = await twoForms();
    discord.world.guild.members.get(WORLD_IDS.applicant)!.roleIds.add(WORLD_IDS.memberRole);
    const writer = await apiTokenFor(organization.id, ["applications:write"]);
    const reader = await apiTokenFor(organization.id, ["applications:read"]);

    // The API reads the forms and the staff form's keys.
    const forms = (await (
      await listFormsApi(apiRequest("GET", "/api/v1/forms", reader.authorization), none)
    ).json()) as { forms: { slug: string; isDefault: boolean }[] };
    expect(forms.forms.map((f) => [f.slug, f.isDefault])).toEqual([
      ["apply", true],
      ["staff", false],
    ]);
    const staffResponse = await formApi(
      apiRequest("GET", "/api/v1/forms/staff", reader.authorization),
      paramsOf({ formSlug: "staff" }),
    );
    const staff = ((await staffResponse.json()) as { form: { questions: { key: string; kind: string }[] } }).form;
    expect(staff.questions.map((q) => [q.key, q.kind])).toEqual([
      ["age", "NUMBER"],
      ["portfolio", "URL"],
      ["areas", "MULTIPLE_CHOICE"],
    ]);
    expect(
      (await formApi(apiRequest("GET", "/api/v1/forms/nope", reader.authorization), paramsOf({ formSlug: "nope" })))
        .status,
    ).toBe(404);
    expect((await listFormsApi(apiRequest("GET", "/api/v1/forms", writer.authorization), none)).status).toBe(403);

    // The staff form by key; the default form's question is not part of it.
    const bad = await submitApi(
      apiRequest("POST", "/api/v1/applications", writer.authorization, {
        form: "staff",
        discordUserId: WORLD_IDS.applicant,
        applicantName: "Alex",
        answers: { age: 12, areas: ["Cooking"] },
      }),
      none,
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.code).toBe("validation_failed");
    const defaultQuestion = (await listQuestions({ organizationId: organization.id }))[0]!;
    const wrongForm = await submitApi(
      apiRequest("POST", "/api/v1/applications", writer.authorization, {
        form: "staff",
        discordUserId: WORLD_IDS.applicant,
        applicantName: "Alex",
        answers: { age: 30, areas: ["Art"], [defaultQuestion.key]: "x" },
      }),
      none,
    );
    expect(wrongForm.status).toBe(400);
    expect(await db.application.count()).toBe(0);

    const created = await submitApi(
      apiRequest("POST", "/api/v1/applications", writer.authorization, {
        form: "staff",
        discordUserId: WORLD_IDS.applicant,
        applicantName: "Alex",
        answers: { age: "30", portfolio: "https://alex.example", areas: ["Art", "Events"] },
      }),
      none,
    );
    expect(created.status).toBe(201);
    const staffApp = (
      (await created.json()) as {
        application: { id: string; formId: string; answers: { key: string; value: unknown }[] };
      }
    ).application;
    expect(staffApp.answers.map((a) => [a.key, a.value])).toEqual([
      ["age", 30],
      ["portfolio", "https://alex.example"],
      ["areas", ["Art", "Events"]],
    ]);

    // The default form (no `form`), answered by the question's id as before; the same applicant may have both open.
    const member = await submitApi(
      apiRequest("POST", "/api/v1/applications", writer.authorization, {
        discordUserId: WORLD_IDS.applicant,
        applicantName: "Alex",
        answers: { [defaultQuestion.id]: "a friend" },
      }),
      none,
    );
    expect(member.status).toBe(201);
    const memberApp = ((await member.json()) as { application: { id: string; formId: string } }).application;
    expect(memberApp.formId).not.toBe(staffApp.formId);

    // Approving each applies its own form's rule: the default form gives the approved role only.
    const reviewer = await createReviewer();
    await updateApplicationStatus({
      applicationId: memberApp.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    await waitFor(
      () => db.application.findUniqueOrThrow({ where: { id: memberApp.id } }),
      (a) => a.status === "APPROVED_ROLE_ASSIGNED",
    );
    expect([...discord.world.guild.members.get(WORLD_IDS.applicant)!.roleIds].sort()).toEqual(
      [WORLD_IDS.memberRole, WORLD_IDS.approvedRole].sort(),
    );
    await updateApplicationStatus({
      applicationId: staffApp.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    await waitFor(
      () => db.application.findUniqueOrThrow({ where: { id: staffApp.id } }),
      (a) => a.status === "APPROVED_ROLE_ASSIGNED",
    );
    expect([...discord.world.guild.members.get(WORLD_IDS.applicant)!.roleIds].sort()).toEqual(
      [WORLD_IDS.approvedRole, VERIFIED].sort(),
    );
  });

  it("a closed form takes no applications (409 form_closed); keys are unique per form and questions reorder", async () => {
    const { organization } = await twoForms();
    const writer = await apiTokenFor(organization.id, ["applications:write"]);
    await updateForm({ organizationId: organization.id, slug: "staff", input: { isOpen: false }, actor });
    const closed = await submitApi(
      apiRequest("POST", "/api/v1/applications", writer.authorization, {
        form: "staff",
        discordUserId: newSnowflake(),
        applicantName: "A",
        answers: {},
      }),
      none,
    );
    expect(closed.status).toBe(409);
    expect(((await closed.json()) as ErrorBody).error.code).toBe("form_closed");

    await expect(
      createQuestion({
        organizationId: organization.id,
        formSlug: "staff",
        input: { label: "Age again", key: "age", kind: "SHORT_TEXT", required: true },
        actor,
      }),
    ).rejects.toMatchObject({ code: "already_exists" });
    // The same key on another form is fine.
    await createQuestion({
      organizationId: organization.id,
      input: { label: "Age", key: "age", kind: "SHORT_TEXT", required: false },
      actor,
    });
    const ids = (await listQuestions({ organizationId: organization.id, formSlug: "staff" })).map((q) => q.id);
    const reordered = await reorderQuestions({
      organizationId: organization.id,
      formSlug: "staff",
      questionIds: [...ids].reverse(),
      actor,
    });
    expect(reordered.map((q) => q.key)).toEqual(["areas", "portfolio", "age"]);
    await expect(
      reorderQuestions({ organizationId: organization.id, formSlug: "staff", questionIds: ids.slice(1), actor }),
    ).rejects.toMatchObject({ code: "bad_request" });
  });
});

describe("role rules are checked against the guild when saved", () => {
  it("refuses a role above the bot, a missing role and a managed-free bot without Manage Roles; names each", async () => {
    const { organization } = await twoForms();
    const rule = {
      approveAddRoleIds: [WORLD_IDS.staffRole],
      approveRemoveRoleIds: [],
      rejectAddRoleId: null,
      restoreOnRevoke: true,
    };
    const above = await updateRoleRule({ organizationId: organization.id, slug: "staff", input: rule, actor }).catch(
      (e: unknown) => e,
    );
    expect(above).toMatchObject({
      code: "invalid_role_id",
      details: [expect.objectContaining({ roleId: WORLD_IDS.staffRole, code: "missing_permissions" })],
    });
    expect((above as Error).message).toContain("Staff");
    const missing = await updateRoleRule({
      organizationId: organization.id,
      slug: "staff",
      input: { ...rule, approveAddRoleIds: ["1200000000000009999"] },
      actor,
    }).catch((e: unknown) => e);
    expect(missing).toMatchObject({
      code: "invalid_role_id",
      details: [expect.objectContaining({ code: "role_missing" })],
    });

    // Without Manage Roles every role is refused.
    discord.world.roles.bot.permissions = 0n;
    const noPerm = await updateRoleRule({
      organizationId: organization.id,
      slug: "staff",
      input: { ...rule, approveAddRoleIds: [VERIFIED] },
      actor,
    }).catch((e: unknown) => e);
    expect(noPerm).toMatchObject({
      code: "invalid_role_id",
      details: [expect.objectContaining({ roleId: VERIFIED, code: "missing_permissions" })],
    });
    // Nothing was saved.
    const staff = await db.applicationForm.findFirstOrThrow({
      where: { organizationId: organization.id, slug: "staff" },
    });
    expect(staff.approveAddRoleIds).toEqual([WORLD_IDS.approvedRole, VERIFIED]);
  });
});

describe("the health check re-checks every form's role rule", () => {
  it("is ok while the bot can change each role, and names the form and role once the order changed in Discord", async () => {
    const { organization } = await twoForms();
    const ok = await checkGuildHealth({ organizationId: organization.id });
    expect(ok).toMatchObject({ status: "healthy" });
    discord.model.guildOrThrow(WORLD_IDS.guild).roles.get(VERIFIED)!.position = 10;
    // fresh: a cached answer is kept 30 s; "Check again" asks Discord now.
    const moved = await checkGuildHealth({ organizationId: organization.id, fresh: true });
    expect(moved.status).toBe("problems");
    const check = moved.status === "problems" ? moved.checks.find((c) => c.id === "role_rules") : undefined;
    expect(check).toMatchObject({ ok: false, problem: expect.stringContaining("Form “Staff”: “Verified”") });
  });
});

describe("POST /api/discord/assign-role allowlist", () => {
  it("with extra assignable roles chosen, the approved role and each extra are assignable; other roles are not", async () => {
    const { organization } = await seedConnectedGuild({ guildId: WORLD_IDS.guild });
    discord.model.addRole(WORLD_IDS.guild, { id: VERIFIED, name: "Verified", position: 2 });
    await db.discordConnection.update({
      where: { organizationId: organization.id },
      data: { approvedRoleId: WORLD_IDS.approvedRole, assignableRoleIds: [VERIFIED] },
    });
    const token = await apiTokenFor(organization.id, ["roles:assign"]);
    const call = (roleId: string) =>
      assignRole(
        apiRequest("POST", "/api/discord/assign-role", token.authorization, {
          guild_id: WORLD_IDS.guild,
          user_id: WORLD_IDS.applicant,
          role_id: roleId,
        }),
        none,
      );

    // The defect: the approved role answered 403 role_not_assignable as soon as any extra role was chosen.
    expect((await call(WORLD_IDS.approvedRole)).status).toBe(200);
    expect((await call(VERIFIED)).status).toBe(200);
    const member = await call(WORLD_IDS.memberRole);
    expect(member.status).toBe(403);
    expect(((await member.json()) as ErrorBody).error.code).toBe("role_not_assignable");
    expect([...discord.world.guild.members.get(WORLD_IDS.applicant)!.roleIds].sort()).toEqual(
      [WORLD_IDS.approvedRole, VERIFIED].sort(),
    );
  });
});
