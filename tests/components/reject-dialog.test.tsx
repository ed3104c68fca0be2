// Reject asks for confirmation and a reason (issue 14): optional or required as the organization set it, sent with
// the rejection, and nothing is sent when cancelled or when a required reason is missing.
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { ReviewActions } from "@/components/applications/application-actions";
import { RejectDialog } from "@/components/applications/reject-dialog";
import { ToastProvider } from "@/components/ui/toast";
import { applicationRow } from "~tests/helpers/application-row";
import { server } from "~tests/msw/server";

describe("RejectDialog", () => {
  it("a required reason: confirming without one says so in words and does not reject", async () => {
    const onConfirm = vi.fn();
    render(<RejectDialog open subject="Ada" reasonRequired onConfirm={onConfirm} onCancel={() => {}} />);
    // The dialog loads on first open (its own chunk), so the first query waits for it.
    expect(await screen.findByRole("heading", { name: "Reject Ada?" })).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Reject" }));
    expect(onConfirm).not.toHaveBeenCalled();
    const field = screen.getByRole("textbox", { name: "Reason" });
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("alert").textContent).toMatch(/asks for a reason/);
    await userEvent.type(field, "  Too young for the server  ");
    await userEvent.click(screen.getByRole("button", { name: "Reject" }));
    expect(onConfirm).toHaveBeenCalledWith("Too young for the server");
  });

  it("an optional reason may be left empty; Cancel rejects nothing", async () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    const { rerender } = render(
      <RejectDialog open subject="Ada" reasonRequired={false} onConfirm={onConfirm} onCancel={onCancel} />,
    );
    await userEvent.click(await screen.findByRole("button", { name: "Cancel" }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
    rerender(<RejectDialog open subject="Ada" reasonRequired={false} onConfirm={onConfirm} onCancel={onCancel} />);
    await userEvent.click(screen.getByRole("button", { name: "Reject" }));
    expect(onConfirm).toHaveBeenCalledWith("");
  });

  it("renders nothing while closed", () => {
    render(<RejectDialog open={false} subject="Ada" reasonRequired onConfirm={() => {}} onCancel={() => {}} />);
    expect(screen.queryByRole("heading", { name: "Reject Ada?" })).toBeNull();
  });
});

describe("ReviewActions with the reject dialog", () => {
  it("sends the reason with the rejection; a cancelled dialog sends nothing", async () => {
    const row = applicationRow();
    const bodies: unknown[] = [];
    server.use(
      http.post("*/api/orgs/acme/applications/a1/reject", async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({
          application: {
            ...row,
            status: "REJECTED",
            roleAssignment: { errorCode: null, errorMessage: null, retryCount: 0, attemptedAt: null },
            rejection: { reason: "Not this season" },
          },
        });
      }),
    );
    const updated: { status: string; rejectReason: string | null }[] = [];
    render(
      <ToastProvider>
        <ReviewActions slug="acme" row={row} rejectReasonRequired onUpdated={(r) => updated.push(r)} />
      </ToastProvider>,
    );
    await userEvent.click(screen.getByRole("button", { name: "Reject Ada" }));
    await userEvent.click(await screen.findByRole("button", { name: "Cancel" }));
    expect(bodies).toEqual([]);
    await userEvent.click(screen.getByRole("button", { name: "Reject Ada" }));
    await userEvent.type(await screen.findByRole("textbox", { name: "Reason" }), "Not this season");
    await userEvent.click(screen.getByRole("button", { name: "Reject" }));
    await screen.findByText("Rejected Ada.");
    expect(bodies).toEqual([{ reason: "Not this season" }]);
    expect(updated.map((r) => [r.status, r.rejectReason])).toEqual([["REJECTED", "Not this season"]]);
    await waitFor(() => expect(screen.queryByRole("heading", { name: "Reject Ada?" })).toBeNull());
  }, 30_000);
});
