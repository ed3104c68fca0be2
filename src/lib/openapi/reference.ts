// The OpenAPI document flattened for the reference page: one entry per operation and webhook, schemas resolved
// one level (names of referenced components stay links).
import { buildOpenApiDocument } from "./document";

type Json = Record<string, unknown>;

export type ReferenceOperation = {
  anchor: string;
  method: string;
  path: string;
  summary: string;
  description?: string;
  parameters: { name: string; in: string; required: boolean; description?: string }[];
  requestSchema?: string;
  responses: { status: string; description: string; schema?: string }[];
};

const refName = (schema: unknown): string | undefined => {
  const ref = (schema as Json | undefined)?.$ref;
  return typeof ref === "string" ? ref.split("/").pop() : undefined;
};

function operationsOf(entries: Record<string, Json>, kind: "path" | "webhook"): ReferenceOperation[] {
  return Object.entries(entries).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => {
      const o = op as Json;
      const body = ((o.requestBody as Json | undefined)?.content as Record<string, Json> | undefined)?.[
        "application/json"
      ];
      return {
        anchor: `${kind}-${method}-${path}`.replace(/[^A-Za-z0-9]+/g, "-"),
        method: method.toUpperCase(),
        path,
        summary: String(o.summary ?? ""),
        description: o.description as string | undefined,
        parameters: ((o.parameters as Json[] | undefined) ?? []).map((p) => ({
          name: String(p.name),
          in: String(p.in),
          required: Boolean(p.required),
          description: p.description as string | undefined,
        })),
        requestSchema: refName(body?.schema),
        responses: Object.entries((o.responses as Record<string, Json>) ?? {}).map(([status, r]) => ({
          status,
          description: String(r.description ?? ""),
          schema: refName((r.content as Record<string, Json> | undefined)?.["application/json"]?.schema),
        })),
      };
    }),
  );
}

export function referenceModel() {
  const doc = buildOpenApiDocument();
  const info = doc.info as { title: string; description: string };
  return {
    title: info.title,
    description: info.description,
    operations: operationsOf(doc.paths as Record<string, Json>, "path"),
    webhooks: operationsOf(doc.webhooks as Record<string, Json>, "webhook"),
    schemas: Object.entries((doc.components as { schemas: Record<string, Json> }).schemas).map(([name, schema]) => ({
      name,
      json: JSON.stringify(schema, null, 2),
    })),
  };
}
