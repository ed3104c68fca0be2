// The OpenAPI 3.1 description of the public API (/api/v1/*, /api/discord/assign-role) and of the webhooks we send,
// generated from the zod schemas the routes parse with (zod 4's JSON Schema output, draft 2020-12, which is what
// OpenAPI 3.1 uses). Served at /api/openapi.json; rendered for people at /docs/api.
import { z } from "zod";
import {
  applicationDto,
  applicationPage,
  applicationResponse,
  applicationSubmission,
  SUBMISSION_REFUSALS,
  assignRoleRequest,
  assignRoleResult,
  errorBody,
  formDto,
  formList,
  formResponse,
} from "@/lib/applications/api-schemas";
import { ApplicationStatus } from "@/generated/prisma/enums";
import { WEBHOOK_EVENT_TYPES, applicationEventData, webhookPayload } from "@/lib/webhooks/events";

type Json = Record<string, unknown>;

const REF = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** Every named schema, as JSON Schema, with references between them pointing into components. */
function componentSchemas(): Record<string, Json> {
  const output = z.registry<{ id: string }>();
  for (const schema of [
    applicationDto,
    applicationResponse,
    applicationPage,
    assignRoleResult,
    errorBody,
    formDto,
    formList,
    formResponse,
    applicationEventData,
    webhookPayload,
  ]) {
    output.add(schema, { id: (schema.meta() as { id: string }).id });
  }
  const input = z.registry<{ id: string }>();
  for (const schema of [applicationSubmission, assignRoleRequest])
    input.add(schema, { id: (schema.meta() as { id: string }).id });
  const uri = (id: string) => `#/components/schemas/${id}`;
  const outputs = z.toJSONSchema(output, { uri, io: "output", unrepresentable: "any" }).schemas;
  const inputs = z.toJSONSchema(input, { uri, io: "input", unrepresentable: "any" }).schemas;
  const all: Record<string, Json> = {};
  for (const [id, schema] of Object.entries({ ...outputs, ...inputs })) {
    const { $schema: _drop, $id: _id, ...rest } = schema as Json;
    all[id] = rest;
  }
  return all;
}

const jsonContent = (schema: Json) => ({ "application/json": { schema } });

const ERROR_TEXT: Record<number, string> = {
  400: "The request is not valid: the body says which field and why (`validation_failed`, `invalid_json`, `bad_request`, or a specific code).",
  401: "No API token, or a bad, revoked or expired one (`unauthorized`).",
  403: "The token lacks the scope, or the resource is not the token's organization's (`forbidden`, `role_not_assignable`).",
  404: "No such resource in the token's organization (`not_found`).",
  409: "The state does not allow it (`conflict`, `already_exists`, or a Discord condition an admin must fix).",
  413: "The body is too large (`payload_too_large`).",
  415: "The body is not application/json (`unsupported_media_type`).",
  429: "Discord's rate limit for the bot is reached (`rate_limited`), or its share of Discord's invalid-request budget is spent (`discord_budget_exhausted`). Nothing was changed; try again after the Retry-After header's seconds (also in `details.retryAfter` for the budget).",
  502: "Discord failed (`discord_error`, `discord_unavailable`, `discord_timeout`, `discord_rejected`).",
  503: "A dependency is down (`service_unavailable`); retry later.",
};

/** Statuses that come with a Retry-After header (seconds). */
const RETRY_AFTER: Record<number, Json> = {
  429: {
    "Retry-After": {
      description: "Seconds to wait before trying again.",
      required: true,
      schema: { type: "string", pattern: "^[0-9]+$" },
    },
  },
};

function errors(...statuses: number[]): Record<string, Json> {
  return Object.fromEntries(
    statuses.map((s) => [
      String(s),
      {
        description: ERROR_TEXT[s],
        ...(RETRY_AFTER[s] ? { headers: RETRY_AFTER[s] } : {}),
        content: jsonContent(REF("Error")),
      },
    ]),
  );
}

const listParameters = [
  {
    name: "status",
    in: "query",
    required: false,
    schema: { type: "string", enum: Object.values(ApplicationStatus) },
    description: "Only applications in this status.",
  },
  {
    name: "q",
    in: "query",
    required: false,
    schema: { type: "string", maxLength: 200 },
    description: "Search in applicant name, Discord id and answers (case-insensitive, anywhere in the text).",
  },
];

export function buildOpenApiDocument(options: { serverUrl?: string } = {}): Json {
  const security = [{ apiToken: [] }];
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Guildgate API",
      version: "1",
      description:
        'Applications intake and review for Discord communities. Authenticate with an API token of your organization (`Authorization: Bearer ggt_...`, created in the dashboard under Tokens) holding the scope each operation names. Errors always look like `{ "error": { "code", "message", "details"?, "requestId" } }`.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    components: {
      securitySchemes: {
        apiToken: { type: "http", scheme: "bearer", description: "An API token: ggt_ followed by 36 characters." },
      },
      schemas: componentSchemas(),
    },
    paths: {
      "/api/v1/applications": {
        get: {
          operationId: "listApplications",
          summary: "List applications, newest first (scope applications:read)",
          security,
          parameters: [
            ...listParameters,
            {
              name: "cursor",
              in: "query",
              required: false,
              schema: { type: "string", maxLength: 200 },
              description: "nextCursor of the previous page.",
            },
            {
              name: "limit",
              in: "query",
              required: false,
              schema: { type: "integer", minimum: 1, maximum: 100, default: 25 },
            },
          ],
          responses: {
            "200": { description: "A page of applications.", content: jsonContent(REF("ApplicationPage")) },
            ...errors(400, 401, 403),
          },
        },
        post: {
          operationId: "submitApplication",
          summary: "Submit an application (scope applications:write)",
          security,
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,200}$" },
              description: "A retry with the same key returns the first result (200, Idempotent-Replayed: true).",
            },
          ],
          requestBody: { required: true, content: jsonContent(REF("ApplicationSubmission")) },
          responses: {
            "201": { description: "Created.", content: jsonContent(REF("ApplicationResponse")) },
            "200": {
              description: "A replay of an earlier request with the same Idempotency-Key.",
              content: jsonContent(REF("ApplicationResponse")),
            },
            ...errors(400, 401, 403, 409, 413, 415),
            // Who may apply: the refusal codes of this operation (src/lib/applications/api-schemas.ts).
            "403": { description: SUBMISSION_REFUSALS[403], content: jsonContent(REF("Error")) },
            "409": { description: SUBMISSION_REFUSALS[409], content: jsonContent(REF("Error")) },
          },
        },
      },
      "/api/v1/applications/export": {
        get: {
          operationId: "exportApplications",
          summary: "Export applications as CSV (scope applications:read)",
          description:
            "Streamed; one column per current question. Cells starting with = + - @ tab or CR are prefixed with an apostrophe so spreadsheets do not run them.",
          security,
          parameters: listParameters,
          responses: {
            "200": { description: "The CSV file.", content: { "text/csv": { schema: { type: "string" } } } },
            ...errors(400, 401, 403),
          },
        },
      },
      "/api/v1/forms": {
        get: {
          operationId: "listForms",
          summary: "The organization's application forms, without questions (scope applications:read)",
          security,
          responses: {
            "200": { description: "Every form, in order.", content: jsonContent(REF("FormList")) },
            ...errors(401, 403),
          },
        },
      },
      "/api/v1/forms/{formSlug}": {
        get: {
          operationId: "getForm",
          summary: "One form with its questions and their stable keys (scope applications:read)",
          security,
          parameters: [
            {
              name: "formSlug",
              in: "path",
              required: true,
              schema: { type: "string", maxLength: 64 },
              description: "The form's slug (GET /api/v1/forms lists them; `apply` is the default form's).",
            },
          ],
          responses: {
            "200": { description: "The form and its questions.", content: jsonContent(REF("FormResponse")) },
            ...errors(401, 403, 404),
          },
        },
      },
      "/api/discord/assign-role": {
        post: {
          operationId: "assignRole",
          summary: "Give a member a role in the token's guild (scope roles:assign)",
          security,
          requestBody: { required: true, content: jsonContent(REF("AssignRoleRequest")) },
          responses: {
            "200": { description: "The role was given.", content: jsonContent(REF("AssignRoleResult")) },
            ...errors(400, 401, 403, 409, 413, 415, 429, 502),
          },
        },
      },
    },
    webhooks: Object.fromEntries(
      WEBHOOK_EVENT_TYPES.map((type) => [
        type,
        {
          post: {
            operationId: `webhook_${type.replace(".", "_")}`,
            summary: `Sent to your endpoint on ${type}`,
            description:
              "Signed per Standard Webhooks: verify `webhook-signature` over `webhook-id`, `webhook-timestamp` and the raw body with your endpoint's secret (e.g. the `standardwebhooks` package). The webhook-id is the event id and the same on every retry: dedupe by it. Answer 2xx; anything else is retried with exponential backoff for about a day.",
            parameters: [
              { name: "webhook-id", in: "header", required: true, schema: { type: "string" } },
              {
                name: "webhook-timestamp",
                in: "header",
                required: true,
                schema: { type: "string" },
                description: "Unix seconds of this attempt.",
              },
              {
                name: "webhook-signature",
                in: "header",
                required: true,
                schema: { type: "string" },
                description: "Space-separated `v1,<base64>` signatures (two during a secret rotation).",
              },
            ],
            requestBody: { required: true, content: jsonContent(REF("WebhookPayload")) },
            responses: { "200": { description: "Any 2xx acknowledges the delivery." } },
          },
        },
      ]),
    ),
  };
}
