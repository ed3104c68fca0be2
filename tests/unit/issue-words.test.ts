import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorResponse } from "@/lib/http/route";

async function errorOf(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error("expected a failure");
  const response = errorResponse(result.error, "req-12345678");
  expect(response.status).toBe(400);
  return ((await response.json()) as { error: { code: string; message: string; details: { path: string; message: string }[] } }).error;
}

describe("validation errors in words", () => {
  const schema = z.object({
    name: z.string().trim().min(1).max(5),
    kind: z.enum(["a", "b"]),
    tags: z.array(z.string()).min(1),
    nested: z.strictObject({ count: z.number().int() }),
    answers: z.record(z.string(), z.unknown()).default({}),
    email: z.email().optional(),
  });

  it("names the field and says what is wrong, never zod's raw wording", async () => {
    const error = await errorOf(schema, { name: "toolong", kind: "c", tags: [], nested: { count: 1.5, extra: true }, answers: 3, email: "x" });
    expect(error.code).toBe("validation_failed");
    expect(error.details).toEqual([
      { path: "name", message: "must be at most 5 characters" },
      { path: "kind", message: 'must be one of "a", "b"' },
      { path: "tags", message: "must list at least one item" },
      { path: "nested.count", message: "must be a whole number" },
      { path: "nested", message: 'has unknown field "extra"' },
      { path: "answers", message: "must be an object" },
      { path: "email", message: "must be a valid email" },
    ]);
    expect(error.message).toBe('The request is not valid: name must be at most 5 characters; kind must be one of "a", "b"; tags must list at least one item (and 4 more).');
    expect(JSON.stringify(error)).not.toMatch(/Invalid input|expected nonoptional|received undefined/);
  });

  it("a missing field is 'is required' (was 'expected nonoptional')", async () => {
    const error = await errorOf(z.object({ a: z.string().optional() }).required(), {});
    expect(error.details).toEqual([{ path: "a", message: "is required" }]);
    expect(error.message).toBe("The request is not valid: a is required.");
  });

  it("a schema's own message wins and follows a colon", async () => {
    const error = await errorOf(z.object({ eventTypes: z.array(z.string()).min(1, "Pick at least one event type.") }), { eventTypes: [] });
    expect(error.message).toBe("The request is not valid: eventTypes: Pick at least one event type.");
  });
});
