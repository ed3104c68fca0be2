import { expect, it } from "vitest";
import { can, PERMISSIONS, permissionsOf } from "@/lib/security/authorize";

it("gives owners everything, admins everything but owner management, reviewers read and review only", () => {
  for (const p of PERMISSIONS) expect(can("OWNER", p)).toBe(true);
  expect(can("ADMIN", "owners:manage")).toBe(false);
  expect(can("ADMIN", "bot:manage")).toBe(true);
  expect(can("ADMIN", "members:manage")).toBe(true);
  expect(permissionsOf("REVIEWER")).toEqual(["org:read", "applications:review"]);
  expect(can("REVIEWER", "bot:manage")).toBe(false);
  expect(can("REVIEWER", "tokens:manage")).toBe(false);
});
