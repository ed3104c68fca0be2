import { describe, expect, it } from "vitest";
import { ApplicationStatus } from "@/generated/prisma/enums";
import { assertTransition, canTransition, TRANSITIONS } from "@/lib/applications/state-machine/state-machine";
import { AppError } from "@/lib/errors/app-error";

const all = Object.values(ApplicationStatus);
const legal = new Set([
  "PENDING>REJECTED",
  "PENDING>APPROVED",
  "PENDING>APPROVED_PENDING_ROLE",
  "APPROVED_PENDING_ROLE>APPROVED_ROLE_ASSIGNED",
  "APPROVED_PENDING_ROLE>APPROVED_ROLE_FAILED",
  "APPROVED_ROLE_FAILED>APPROVED_PENDING_ROLE",
  // Issue 13: no dead ends after a failed role, and revocation.
  "APPROVED_ROLE_FAILED>APPROVED_ROLE_ASSIGNED",
  "APPROVED_ROLE_FAILED>REJECTED",
  "APPROVED_ROLE_FAILED>REVOKED_PENDING_ROLE_REMOVAL",
  "APPROVED_ROLE_ASSIGNED>REVOKED_PENDING_ROLE_REMOVAL",
  "APPROVED>REVOKED",
  "REVOKED_PENDING_ROLE_REMOVAL>REVOKED",
  "REVOKED_PENDING_ROLE_REMOVAL>REVOKED_ROLE_REMOVAL_FAILED",
  "REVOKED_ROLE_REMOVAL_FAILED>REVOKED_PENDING_ROLE_REMOVAL",
  "REVOKED_ROLE_REMOVAL_FAILED>REVOKED",
]);

describe("the transition table", () => {
  it("covers every status", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...all].sort());
    expect(all).toEqual(
      expect.arrayContaining(["REVOKED_PENDING_ROLE_REMOVAL", "REVOKED", "REVOKED_ROLE_REMOVAL_FAILED"]),
    );
  });

  it("lists exactly the legal transitions (every other pair is illegal)", () => {
    const table = Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`));
    expect(table.sort()).toEqual([...legal].sort());
  });

  it("REJECTED and REVOKED are final", () => {
    expect(TRANSITIONS.REJECTED).toEqual([]);
    expect(TRANSITIONS.REVOKED).toEqual([]);
  });

  for (const from of all) {
    for (const to of all) {
      const allowed = legal.has(`${from}>${to}`);
      it(`${allowed ? "allows" : "rejects"} ${from} -> ${to}`, () => {
        expect(canTransition(from, to)).toBe(allowed);
        if (allowed) {
          expect(() => assertTransition(from, to)).not.toThrow();
        } else {
          let caught: unknown;
          try {
            assertTransition(from, to);
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(AppError);
          expect((caught as AppError).code).toBe("illegal_transition");
          expect((caught as AppError).status).toBe(409);
        }
      });
    }
  }
});
