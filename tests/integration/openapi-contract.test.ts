// The contract: every public route's real responses (success and each documented error) validate against the
// OpenAPI document served at /api/openapi.json, with Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect). Every
// documented status of every operation must be exercised here, so the document cannot promise what no test saw.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as assignRole } from "@/app/api/discord/assign-role/route";
import { GET as openapiRoute } from "@/app/api/openapi.json/route";
import { GET as exportApi } from "@/app/api/v1/applications/export/route";
import { GET as listApi, POST as submitApi } from "@/app/api/v1/applications/route";
import { GET as getFormApi } from "@/app/api/v1/forms/[formSlug]/route";
import { GET as listFormsApi } from "@/app/api/v1/forms/route";
import { webhookPayload } from "@/lib/webhooks/events";
import { db } from "@/lib/db";
import { DEFAULT_FORM_SLUG } from "@/lib/forms/forms";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { addQuestion, apiTokenFor, createOrgWithGuild, newSnowflake } from "~tests/helpers/applications";
import { paramsOf } from "~tests/helpers/auth";

const discord = useDiscordFake();
const PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
const none = paramsOf({});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reason: walks an arbitrary JSON document by key
type Json = Record<string, any>;
let doc: Json;
let ajv: Ajv2020;
const seen = new Set<string>();

beforeAll(async () => {
  const response = await openapiRoute(new Request("http://localhost:3000/api/openapi.json"), none);
  expect(response.status).toBe(200);
  doc = (await response.json()) as Json;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, "openapi.json");
});

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

async function check(path: string, method: string, response: Response) {
  const status = String(response.status);
  const operation = doc.paths[path]?.[method];
  expect(operation, `${method} ${path} is documented`).toBeDefined();
  const documented = operation.responses[status];
  expect(documented, `${method} ${path} documents ${status}: ${await response.clone().text()}`).toBeDefined();
  seen.add(`${method} ${path} ${status}`);
  for (const [name, header] of Object.entries((documented.headers ?? {}) as Json)) {
    const value = response.headers.get(name);
    if (header.required) expect(value, `${method} ${path} ${status} sends ${name}`).not.toBeNull();
    if (value !== null) {
      const validateHeader = ajv.compile(header.schema);
      expect(validateHeader(value), `${method} ${path} ${status} ${name}: ${value}`).toBe(true);
    }
  }
  const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!;
  expect(Object.keys(documented.content ?? {}), `${method} ${path} ${status} content type`).toContain(contentType);
  if (contentType !== "application/json") return;
  const validate = ajv.getSchema(
    `openapi.json#/${pointer("paths", path, method, "responses", status, "content", "application/json", "schema")}`,
  )!;
  const body = await response.json();
  expect(
    validate(body),
    `${method} ${path} ${status}: ${JSON.stringify(validate.errors)} ${JSON.stringify(body)}`,
  ).toBe(true);
}

function apiRequest(
  method: string,
  path: string,
  authorization: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const init: RequestInit = { method, headers: { ...(authorization ? { authorization } : {}), ...headers } };
  if (body !== undefined) {
    init.headers = { "content-type": "application/json", ...init.headers };
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  return new Request(`http://localhost:3000${path}`, init);
}

describe("OpenAPI contract", () => {
  it("the document is OpenAPI 3.1 whose schemas compile", () => {
    expect(doc.openapi).toBe("3.1.0");
    for (const name of Object.keys(doc.components.schemas)) {
      expect(ajv.getSchema(`openapi.json#/components/schemas/${name}`), name).toBeDefined();
    }
  });

  it("/api/v1/applications: list and submit, success and every documented error", async () => {
    const { organization } = await createOrgWithGuild();
    const reader = (await apiTokenFor(organization.id, ["applications:read"])).authorization;
    const writer = (await apiTokenFor(organization.id, ["applications:write"])).authorization;
    const path = "/api/v1/applications";
    const body = { discordUserId: newSnowflake(), applicantName: "Ada", answers: {} };

    await check(
      path,
      "post",
      await submitApi(apiRequest("POST", path, writer, body, { "idempotency-key": "k1" }), none),
    );
    await check(
      path,
      "post",
      await submitApi(apiRequest("POST", path, writer, body, { "idempotency-key": "k1" }), none),
    );
    await check(path, "post", await submitApi(apiRequest("POST", path, writer, { ...body, applicantName: "" }), none));
    await check(path, "post", await submitApi(apiRequest("POST", path, null, body), none));
    await check(path, "post", await submitApi(apiRequest("POST", path, reader, body), none));
    await check(
      path,
      "post",
      await submitApi(
        apiRequest("POST", path, writer, { ...body, applicantName: "Other" }, { "idempotency-key": "k1" }),
        none,
      ),
    );
    await check(
      path,
      "post",
      await submitApi(apiRequest("POST", path, writer, { ...body, applicantName: "x".repeat(70 * 1024) }), none),
    );
    await check(
      path,
      "post",
      await submitApi(apiRequest("POST", path, writer, "hello", { "content-type": "text/plain" }), none),
    );

    // Who may apply (issue 14): a blocked applicant (403 applicant_blocked), a too-new account (403 account_too_new).
    const blocked = newSnowflake();
    await db.applicantSettings.create({
      data: { organizationId: organization.id, blockedUserIds: [blocked], minAccountAgeDays: 30 },
    });
    await check(
      path,
      "post",
      await submitApi(apiRequest("POST", path, writer, { ...body, discordUserId: blocked }), none),
    );
    await check(
      path,
      "post",
      await submitApi(apiRequest("POST", path, writer, { ...body, discordUserId: newSnowflake() }), none),
    );

    await check(path, "get", await listApi(apiRequest("GET", `${path}?status=PENDING&q=ada`, reader), none));
    await check(path, "get", await listApi(apiRequest("GET", `${path}?limit=0`, reader), none));
    await check(path, "get", await listApi(apiRequest("GET", `${path}?cursor=forged`, reader), none));
    await check(path, "get", await listApi(apiRequest("GET", path, "Bearer nope"), none));
    await check(path, "get", await listApi(apiRequest("GET", path, writer), none));
  });

  it("/api/v1/applications/export: CSV and errors", async () => {
    const { organization } = await createOrgWithGuild();
    await db.application.create({
      data: { organizationId: organization.id, applicantName: "Ada", applicantDiscordId: newSnowflake() },
    });
    const reader = (await apiTokenFor(organization.id, ["applications:read"])).authorization;
    const writer = (await apiTokenFor(organization.id, ["applications:write"])).authorization;
    const path = "/api/v1/applications/export";
    await check(path, "get", await exportApi(apiRequest("GET", `${path}?status=PENDING`, reader), none));
    await check(path, "get", await exportApi(apiRequest("GET", `${path}?status=BOGUS`, reader), none));
    await check(path, "get", await exportApi(apiRequest("GET", path, null), none));
    await check(path, "get", await exportApi(apiRequest("GET", path, writer), none));
  });

  it("/api/v1/forms and /api/v1/forms/{formSlug}: forms, questions with their keys, and errors", async () => {
    const { organization } = await createOrgWithGuild();
    await addQuestion({ organizationId: organization.id, key: "why", kind: "LONG_TEXT", maxLength: 500 });
    await addQuestion({
      organizationId: organization.id,
      key: "tz",
      kind: "SINGLE_CHOICE",
      options: ["EU", "US"],
      position: 1,
    });
    const reader = (await apiTokenFor(organization.id, ["applications:read"])).authorization;
    const writer = (await apiTokenFor(organization.id, ["applications:write"])).authorization;
    const list = "/api/v1/forms";
    const one = "/api/v1/forms/{formSlug}";
    const form = (slug: string, authorization: string | null) =>
      getFormApi(apiRequest("GET", `/api/v1/forms/${slug}`, authorization), paramsOf({ formSlug: slug }));

    const listed = await listFormsApi(apiRequest("GET", list, reader), none);
    expect(((await listed.clone().json()) as { forms: { slug: string }[] }).forms.map((f) => f.slug)).toEqual([
      DEFAULT_FORM_SLUG,
    ]);
    await check(list, "get", listed);
    await check(list, "get", await listFormsApi(apiRequest("GET", list, null), none));
    await check(list, "get", await listFormsApi(apiRequest("GET", list, writer), none));

    const found = await form(DEFAULT_FORM_SLUG, reader);
    const body = (await found.clone().json()) as { form: { questions: { key: string }[] } };
    expect(body.form.questions.map((q) => q.key)).toEqual(["why", "tz"]);
    await check(one, "get", found);
    await check(one, "get", await form("no-such-form", reader));
    await check(one, "get", await form(DEFAULT_FORM_SLUG, null));
    await check(one, "get", await form(DEFAULT_FORM_SLUG, writer));
  });

  it("/api/discord/assign-role: success and every documented error", async () => {
    const { organization } = await createOrgWithGuild({
      guildId: WORLD_IDS.guild,
      approvedRoleId: WORLD_IDS.approvedRole,
    });
    const token = (await apiTokenFor(organization.id, ["roles:assign"])).authorization;
    const path = "/api/discord/assign-role";
    const valid = { guild_id: WORLD_IDS.guild, user_id: WORLD_IDS.applicant, role_id: WORLD_IDS.approvedRole };
    await check(path, "post", await assignRole(apiRequest("POST", path, token, valid), none));
    await check(path, "post", await assignRole(apiRequest("POST", path, token, { ...valid, user_id: "12" }), none));
    await check(path, "post", await assignRole(apiRequest("POST", path, null, valid), none));
    await check(
      path,
      "post",
      await assignRole(apiRequest("POST", path, token, { ...valid, guild_id: WORLD_IDS.otherGuild }), none),
    );
    await check(
      path,
      "post",
      await assignRole(apiRequest("POST", path, token, { ...valid, user_id: WORLD_IDS.outsider }), none),
    );
    await check(
      path,
      "post",
      await assignRole(apiRequest("POST", path, token, { ...valid, pad: "x".repeat(17 * 1024) }), none),
    );
    await check(
      path,
      "post",
      await assignRole(apiRequest("POST", path, token, "x", { "content-type": "text/plain" }), none),
    );
    discord.injectFault({ route: PUT, status: 503, times: 10 });
    await check(path, "post", await assignRole(apiRequest("POST", path, token, valid), none));
    // Discord answers 429 with a wait longer than the client holds a caller (5 s): 429 rate_limited, Retry-After.
    discord.faults.clear();
    discord.injectFault({ route: PUT, status: 429, retryAfter: 30, times: 5 });
    const limited = await assignRole(apiRequest("POST", path, token, valid), none);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    await check(path, "post", limited);
  });

  it("webhook payloads we send validate against the documented WebhookPayload", () => {
    const validate = ajv.getSchema("openapi.json#/components/schemas/WebhookPayload")!;
    const sample = {
      type: "role.failed",
      timestamp: new Date().toISOString(),
      data: {
        applicationId: crypto.randomUUID(),
        organizationId: crypto.randomUUID(),
        status: "APPROVED_ROLE_FAILED",
        previousStatus: "APPROVED_PENDING_ROLE",
        roleError: { code: "missing_permissions", message: "Move the bot's role above." },
      },
    };
    expect(webhookPayload.parse(sample)).toBeTruthy();
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...sample, type: "application.exploded" })).toBe(false);
    expect(Object.keys(doc.webhooks)).toEqual([
      "application.submitted",
      "application.approved",
      "application.rejected",
      "application.revoked",
      "role.assigned",
      "role.failed",
    ]);
  });

  afterAll(() => {
    const documented = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      Object.entries(item as Json).flatMap(([method, op]) =>
        Object.keys((op as Json).responses).map((status) => `${method} ${path} ${status}`),
      ),
    );
    const missed = documented.filter((d) => !seen.has(d));
    expect(missed, "documented responses no test produced").toEqual([]);
  });
});
