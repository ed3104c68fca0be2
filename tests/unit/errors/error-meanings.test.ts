// Issue 28 item 2: every error code is in the API description with its status and meaning, and a response can only
// carry a code the description lists (the contract test validates real responses against the enum).
import { expect, it } from "vitest";
import { ERROR_STATUS } from "@/lib/errors/app-error";
import { ERROR_MEANING } from "@/lib/errors/error-meanings";
import { buildOpenApiDocument } from "@/lib/openapi/document";

it("the Error schema's code is the enum of every code, each explained with its status", () => {
  const doc = buildOpenApiDocument() as {
    components: {
      schemas: { Error: { properties: { error: { properties: { code: { enum: string[]; description: string } } } } } };
    };
  };
  const code = doc.components.schemas.Error.properties.error.properties.code;
  expect([...code.enum].sort()).toEqual(Object.keys(ERROR_STATUS).sort());
  for (const [name, status] of Object.entries(ERROR_STATUS)) {
    expect(code.description).toContain(`\`${name}\` (${status}): ${ERROR_MEANING[name as keyof typeof ERROR_MEANING]}`);
  }
});
