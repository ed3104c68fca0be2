// The route wrapper's field problems are words a person can act on, never zod's developer text; a message the
// schema wrote itself is kept.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { issueInWords } from "@/lib/errors/issue-words";
import { snowflake } from "@/lib/discord/ids";
import { errorResponse } from "@/lib/http/route";

const words = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error("expected a failure");
  return result.error.issues.map(issueInWords);
};

describe("issueInWords", () => {
  it.each([
    ["a missing required field", z.object({ name: z.string() }), {}, "This is required: fill it in."],
    ["an empty required text", z.string().min(1), "", "This is required: fill it in."],
    ["too few list entries", z.array(z.string()).min(2), ["a"], "Give at least 2 entries."],
    ["too long a text", z.string().max(5), "abcdefg", "Use at most 5 characters."],
    ["too short a text", z.string().min(3), "ab", "Use at least 3 characters."],
    ["a number out of range", z.number().max(10), 11, "Use 10 or less."],
    ["an option not offered", z.enum(["OWNER", "ADMIN"]), "KING", "Pick one of: OWNER, ADMIN."],
    [
      "a status filter misspelt (issue 28 item 2: the valid values are listed)",
      z.enum([
        "PENDING",
        "APPROVED",
        "REJECTED",
        "APPROVED_PENDING_ROLE",
        "APPROVED_ROLE_ASSIGNED",
        "APPROVED_ROLE_FAILED",
        "REVOKED_PENDING_ROLE_REMOVAL",
        "REVOKED",
        "REVOKED_ROLE_REMOVAL_FAILED",
      ]),
      "Pending",
      "Pick one of: PENDING, APPROVED, REJECTED, APPROVED_PENDING_ROLE, APPROVED_ROLE_ASSIGNED, APPROVED_ROLE_FAILED, REVOKED_PENDING_ROLE_REMOVAL, REVOKED, REVOKED_ROLE_REMOVAL_FAILED.",
    ],
    [
      "a field the form does not ask for",
      z.strictObject({}),
      { extra: 1 },
      "This form does not ask for extra. Reload the page and try again.",
    ],
    ["the wrong type", z.boolean(), "yes", "Choose yes or no."],
  ])("%s", (_, schema, value, expected) => {
    const [message] = words(schema as z.ZodType, value);
    expect(message).toBe(expected);
    expect(message).not.toMatch(/Invalid input|Too small|Too big|expected|received|>=|<=/);
  });

  it("keeps a message the schema wrote itself", () => {
    expect(words(z.string().max(3, "At most 3 characters."), "abcd")).toEqual(["At most 3 characters."]);
    expect(words(snowflake, "bob")[0]).toMatch(/^Enter a Discord id: 17 to 20 digits/);
  });

  it("is what a 400 from the route wrapper carries in its details", async () => {
    const parsed = z.object({ options: z.array(z.string()).min(2) }).safeParse({ options: ["a"] });
    const body = await errorResponse(parsed.error, "req-1").json();
    expect(body.error.details).toEqual([{ path: "options", message: "Give at least 2 entries." }]);
  });
});
