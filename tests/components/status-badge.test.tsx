import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { RowActions } from "@/components/applications/row-actions";
import { STATUS_LABEL, StatusBadge, waitingText } from "@/components/applications/status-badge";
import { toApplicationRow } from "@/components/applications/types";
import { ROLE_FAILURE_FIXES } from "@/components/dashboard/messages";
import { applicationRow } from "~tests/helpers/application-row";

const row = applicationRow;

describe("StatusBadge", () => {
  it.each([
    ["PENDING", "Pending"],
    ["REJECTED", "Rejected"],
    ["APPROVED", "Approved"],
    ["APPROVED_PENDING_ROLE", "Approved – Assigning role…"],
    ["APPROVED_ROLE_ASSIGNED", "Approved – Role assigned"],
    ["APPROVED_ROLE_FAILED", "Approved – Role assignment failed"],
  ] as const)("%s reads %s", (status, label) => {
    render(<StatusBadge id="a1" status={status} />);
    expect(screen.getByText(label)).toBeTruthy();
    expect(STATUS_LABEL[status]).toBe(label);
  });

  it("shows a spinner only while the role is being assigned", () => {
    const { container, rerender } = render(<StatusBadge id="a1" status="APPROVED_PENDING_ROLE" />);
    expect(container.querySelector("[aria-hidden='true']")).not.toBeNull();
    rerender(<StatusBadge id="a1" status="APPROVED_ROLE_ASSIGNED" />);
    expect(container.querySelector("[aria-hidden='true']")).toBeNull();
  });

  it("a failed assignment is a button (focus, click or tap) described by the fix for its code", async () => {
    render(<StatusBadge id="a1" status="APPROVED_ROLE_FAILED" roleErrorCode="missing_permissions" />);
    const badge = screen.getByRole("button", { name: STATUS_LABEL.APPROVED_ROLE_FAILED });
    await userEvent.tab();
    expect(document.activeElement).toBe(badge);
    const reason = document.getElementById(badge.getAttribute("aria-describedby")!);
    expect(reason?.getAttribute("role")).toBe("tooltip");
    expect(reason?.textContent).toBe(ROLE_FAILURE_FIXES.missing_permissions);
    expect(reason?.textContent).toMatch(/move the bot's role above the approved role/);
  });

  it("prefers the server's own sentence over the generic fix", () => {
    render(
      <StatusBadge
        id="a2"
        status="APPROVED_ROLE_FAILED"
        roleErrorCode="missing_permissions"
        roleErrorMessage="Move Guildgate above Approved."
      />,
    );
    expect(screen.getByRole("tooltip", { hidden: true }).textContent).toBe("Move Guildgate above Approved.");
  });
});

describe("RowActions", () => {
  it("offers approve and reject for a pending application", async () => {
    const onAct = vi.fn();
    render(<RowActions row={row({})} pending={null} onAct={onAct} />);
    await userEvent.click(screen.getByRole("button", { name: "Approve Ada" }));
    await userEvent.click(screen.getByRole("button", { name: "Reject Ada" }));
    expect(onAct.mock.calls).toEqual([["APPROVED"], ["REJECTED"]]);
  });

  it("counts retries as Retry (n/5) and stops after the fifth", async () => {
    const onAct = vi.fn();
    const { rerender } = render(
      <RowActions row={row({ status: "APPROVED_ROLE_FAILED", retryCount: 0 })} pending={null} onAct={onAct} />,
    );
    await userEvent.click(
      screen.getByRole("button", { name: /^Retry \(1\/5\): give Ada the role again, attempt 1 of 5$/ }),
    );
    expect(screen.getByText("Retry (1/5)")).toBeTruthy();
    expect(onAct).toHaveBeenCalledWith("retry");
    rerender(<RowActions row={row({ status: "APPROVED_ROLE_FAILED", retryCount: 3 })} pending={null} onAct={onAct} />);
    expect(screen.getByText("Retry (4/5)")).toBeTruthy();
    rerender(<RowActions row={row({ status: "APPROVED_ROLE_FAILED", retryCount: 5 })} pending={null} onAct={onAct} />);
    expect(
      (screen.getByRole("button", { name: /^Retries used \(5\/5\): no retries left for Ada$/ }) as HTMLButtonElement)
        .disabled,
    ).toBe(true);
  });

  it("offers nothing once the role is assigned or the application is rejected", () => {
    const { container, rerender } = render(
      <RowActions row={row({ status: "APPROVED_ROLE_ASSIGNED" })} pending={null} onAct={() => {}} />,
    );
    expect(container.querySelector("button")).toBeNull();
    rerender(<RowActions row={row({ status: "REJECTED" })} pending={null} onAct={() => {}} />);
    expect(container.querySelector("button")).toBeNull();
  });
});

describe("waiting for the applicant to join (issue 14)", () => {
  it("member_not_in_guild within the re-check window is a wait with its end date, not a red failure", () => {
    const attempted = new Date(Date.now() - 60_000);
    const waiting = toApplicationRow({
      ...row({ status: "APPROVED_ROLE_FAILED", roleErrorCode: "member_not_in_guild", roleErrorMessage: "x" }),
      roleAttemptedAt: attempted,
    });
    const until = new Date(attempted.getTime() + 7 * 24 * 60 * 60 * 1000).toISOString();
    expect(waiting.waitingUntil).toBe(until);
    render(<StatusBadge id="a1" status={waiting.status} waitingUntil={waiting.waitingUntil} />);
    expect(screen.queryByText("Approved – Role assignment failed")).toBeNull();
    expect(screen.getByText("Approved – Waiting for the applicant to join")).toBeTruthy();
    expect(screen.getByRole("tooltip", { hidden: true }).textContent).toBe(waitingText(until));
    expect(waitingText(until)).toMatch(
      /^Waiting for the applicant to join \(role follows automatically until .+ UTC\)\.$/,
    );
  });

  it("other failures, and a window that has passed, stay failures", () => {
    const failed = toApplicationRow({
      ...row({ status: "APPROVED_ROLE_FAILED", roleErrorCode: "missing_permissions" }),
      roleAttemptedAt: new Date(),
    });
    expect(failed.waitingUntil).toBeNull();
    const expired = toApplicationRow({
      ...row({ status: "APPROVED_ROLE_FAILED", roleErrorCode: "member_not_in_guild" }),
      roleAttemptedAt: new Date(Date.now() - 8 * 24 * 60 * 60 * 1000),
    });
    expect(expired.waitingUntil).toBeNull();
  });
});
