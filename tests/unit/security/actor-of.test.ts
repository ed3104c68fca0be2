import { expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { auditActorOf, memberActorOf } from "@/lib/security/guard";

const member = { actor: { kind: "user" as const, userId: "u1", role: "ADMIN" as const } };
const token = { actor: { kind: "apiToken" as const, tokenId: "t1", scopes: ["applications:write"] } };

it("auditActorOf names the member or the API token, the other id null", () => {
  expect(auditActorOf(member)).toEqual({ userId: "u1", apiTokenId: null });
  expect(auditActorOf(token)).toEqual({ userId: null, apiTokenId: "t1" });
});

it("memberActorOf gives the member and refuses an API token with 403 forbidden", () => {
  expect(memberActorOf(member)).toEqual({ userId: "u1", role: "ADMIN" });
  expect(() => memberActorOf(token)).toThrow(AppError);
  try {
    memberActorOf(token);
  } catch (error) {
    expect((error as AppError).status).toBe(403);
  }
});
