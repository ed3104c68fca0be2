import { describe, expect, it } from "vitest";
import { ApplicationStatus } from "@/generated/prisma/enums";
import { assertTransition, canTransition, TRANSITIONS } from "@/lib/applications/state-machine";
import { AppError } from "@/lib/errors/app-error";

const all = Object.values(ApplicationStatus);
const legal = new Set([
  "PENDING>REJECTED",
  "PENDING>APPROVED",
  "PENDING>APPROVED_PENDING_ROLE",
  "APPROVED_PENDING_ROLE>APPROVED_ROLE_ASSIGNED",
  "APPROVED_PENDING_ROLE>APPROVED_ROLE_FAILED",
  "APPROVED_ROLE_FAILED>APPROVED_PENDING_ROLE",
]);

describe("the transition table", () => {
  it("covers every status", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...all].sort());
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
