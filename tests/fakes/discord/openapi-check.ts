// Checks the fake's responses against Discord's own OpenAPI 3.1 description (vendored in ./spec, see its README)
// with Ajv in the JSON Schema 2020-12 dialect OpenAPI 3.1 uses, formats included. Strict about keywords: a keyword
// or format Ajv does not know fails loudly instead of being skipped, so no part of a schema is silently ignored.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

type Schema = Record<string, unknown>;
type OpenApiDocument = {
  paths: Record<string, Record<string, { responses: Record<string, Schema> }>>;
  components: Schema;
};
export type DiscordSpec = { document: OpenApiDocument; ajv: Ajv2020; compiled: WeakMap<Schema, ValidateFunction> };

/** Resolved from this file, not the working directory: the spec ships inside the repository. */
export const SPEC_PATH = fileURLToPath(new URL("./spec/openapi.json", import.meta.url));
const SPEC_ID = "https://discord.com/api/v10/openapi.json";

export function loadDiscordSpec(file = SPEC_PATH): DiscordSpec {
  const document = JSON.parse(fs.readFileSync(file, "utf8")) as OpenApiDocument;
  const ajv = new Ajv2020({
    allErrors: true,
    // Unknown keywords and formats throw. strictTypes/strictRequired would reject Discord's own schema style
    // (properties next to a oneOf without "type": "object"), which says nothing about the fake.
    strict: true,
    strictTypes: false,
    strictRequired: false,
    strictTuples: false,
  });
  addFormats(ajv);
  // Discord's two own formats: a snowflake is a decimal id that fits in 64 bits, a nonce a string of up to 25.
  ajv.addFormat("snowflake", {
    type: "string",
    validate: (v: string) => /^(0|[1-9][0-9]*)$/.test(v) && BigInt(v) < 2n ** 64n,
  });
  ajv.addFormat("nonce", { type: "string", validate: (v: string) => v.length <= 25 });
  // Only the components are registered, under a root whose one OpenAPI field is declared as a no-op keyword; the
  // spec's "#/components/schemas/..." references resolve into it.
  ajv.addKeyword("components");
  ajv.addSchema({ $id: SPEC_ID, components: withDocumentedFieldErrors(document.components) });
  return { document, ajv, compiled: new WeakMap() };
}

/**
 * The one place the spec is corrected, because Discord's documentation (which Discord says wins over the preview
 * spec) disagrees with it: the per-field errors of a 50035 carry string codes such as "BASE_TYPE_BAD_LENGTH"
 * (https://discord.com/developers/docs/reference#error-messages), while the spec reuses its integer-coded Error.
 * Only the items of `_errors` change; the top-level error keeps its integer code. The vendored file is untouched.
 */
function withDocumentedFieldErrors(components: Schema): Schema {
  const schemas = components.schemas as Record<string, Schema>;
  const inner = schemas.InnerErrors as { properties: { _errors: Schema } };
  const fieldError = {
    type: "object",
    properties: { code: { type: "string", pattern: "^[A-Z0-9_]+$" }, message: { type: "string" } },
    required: ["code", "message"],
  };
  return {
    ...components,
    schemas: {
      ...schemas,
      InnerErrors: {
        ...inner,
        properties: { ...inner.properties, _errors: { ...inner.properties._errors, items: fieldError } },
      },
    },
  };
}

function resolveRef(document: OpenApiDocument, ref: string): Schema {
  let node: unknown = document;
  for (const part of ref.replace(/^#\//, "").split("/"))
    node = (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  if (!node) throw new Error(`unresolved $ref ${ref}`);
  return node as Schema;
}

/** The JSON schema of a route's response for `status` (or undefined when the spec documents no body). */
export function responseSchema(
  spec: DiscordSpec,
  template: string,
  method: string,
  status: number,
): Schema | undefined {
  const operation = spec.document.paths[template]?.[method.toLowerCase()];
  if (!operation) throw new Error(`the spec has no ${method} ${template}`);
  let response = operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`];
  if (!response) throw new Error(`the spec documents no ${status} for ${method} ${template}`);
  if (typeof response.$ref === "string") response = resolveRef(spec.document, response.$ref);
  const content = response.content as Record<string, { schema: Schema }> | undefined;
  return content?.["application/json"]?.schema;
}

/** A copy whose document-relative "#/..." references point into the registered spec. */
function anchored(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(anchored);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === "$ref" && typeof value === "string" && value.startsWith("#") ? `${SPEC_ID}${value}` : anchored(value),
    ]),
  );
}

function describeError(error: ErrorObject): string {
  const at = `$${error.instancePath.replace(/\/([^/]+)/g, (_m, part: string) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))}`;
  if (error.keyword === "required")
    return `${at}.${(error.params as { missingProperty: string }).missingProperty}: required`;
  if (error.keyword === "additionalProperties") {
    return `${at}.${(error.params as { additionalProperty: string }).additionalProperty}: not allowed`;
  }
  return `${at}: ${error.message ?? error.keyword} (${error.schemaPath})`;
}

/** Returns the list of violations (empty when `value` matches `schema`). */
export function validate(spec: DiscordSpec, schema: Schema, value: unknown): string[] {
  let check = spec.compiled.get(schema);
  if (!check) {
    check = spec.ajv.compile(anchored(schema) as Schema);
    spec.compiled.set(schema, check);
  }
  return check(value) ? [] : (check.errors ?? []).map(describeError);
}
