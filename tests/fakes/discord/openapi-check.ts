// A small JSON Schema (OpenAPI 3.1) checker, enough for Discord's response schemas: type (also as a list), const,
// enum, oneOf/anyOf/allOf, $ref, properties/required, items, uniqueItems, pattern, minimum/maximum. It keeps the
// fake honest against Discord's own description without a validator dependency.
import fs from "node:fs";
import path from "node:path";

type Schema = Record<string, unknown>;
export type OpenApi = { paths: Record<string, Record<string, { responses: Record<string, Schema> }>>; components: Schema };

export const SPEC_PATH = path.resolve(process.cwd(), "../shared/discord-api-spec/openapi.json");

export function loadDiscordSpec(file = SPEC_PATH): OpenApi {
  return JSON.parse(fs.readFileSync(file, "utf8")) as OpenApi;
}

function resolveRef(spec: OpenApi, ref: string): Schema {
  let node: unknown = spec;
  for (const part of ref.replace(/^#\//, "").split("/")) node = (node as Record<string, unknown>)[part];
  if (!node) throw new Error(`unresolved $ref ${ref}`);
  return node as Schema;
}

/** The JSON schema of a route's response for `status` (or undefined when the spec documents no body). */
export function responseSchema(spec: OpenApi, template: string, method: string, status: number): Schema | undefined {
  const operation = spec.paths[template]?.[method.toLowerCase()];
  if (!operation) throw new Error(`the spec has no ${method} ${template}`);
  let response = operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`];
  if (!response) throw new Error(`the spec documents no ${status} for ${method} ${template}`);
  if (typeof response.$ref === "string") response = resolveRef(spec, response.$ref);
  const content = response.content as Record<string, { schema: Schema }> | undefined;
  return content?.["application/json"]?.schema;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Returns the list of violations (empty when `value` matches `schema`). */
export function validate(spec: OpenApi, schema: Schema, value: unknown, at = "$"): string[] {
  if (typeof schema.$ref === "string") {
    const { $ref, ...rest } = schema;
    return [...validate(spec, resolveRef(spec, $ref), value, at), ...(Object.keys(rest).length ? validate(spec, rest, value, at) : [])];
  }
  const errors: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const actual = typeOf(value);
    if (!types.includes(actual) && !(actual === "integer" && types.includes("number"))) {
      return [`${at}: expected ${types.join("|")}, got ${actual}`];
    }
  }
  if ("const" in schema && value !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (typeof schema.pattern === "string" && typeof value === "string" && !new RegExp(schema.pattern).test(value)) {
    errors.push(`${at}: "${value}" does not match ${schema.pattern}`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${at}: below minimum`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${at}: above maximum`);
  }
  for (const sub of (schema.allOf as Schema[] | undefined) ?? []) errors.push(...validate(spec, sub, value, at));
  for (const key of ["oneOf", "anyOf"] as const) {
    const options = schema[key] as Schema[] | undefined;
    if (!options) continue;
    const matches = options.filter((option) => validate(spec, option, value, at).length === 0).length;
    if (key === "oneOf" ? matches !== 1 : matches === 0) errors.push(`${at}: ${matches} of ${key} options match`);
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (!(name in object)) errors.push(`${at}.${name}: required`);
    }
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [name, sub] of Object.entries(properties)) {
      if (name in object) errors.push(...validate(spec, sub, object[name], `${at}.${name}`));
    }
  }
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => errors.push(...validate(spec, schema.items as Schema, item, `${at}[${i}]`)));
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${at}: items not unique`);
  }
  return errors;
}
