// The spinner shows on the button that was pressed (issue 17: it used to show on Approve while Reject was in
// flight), the other buttons wait, and a failure is a toast in words that stays until dismissed.
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { ReviewActions } from "@/components/applications/application-actions";
import { RowActions } from "@/components/applications/row-actions";
import { ToastProvider } from "@/components/ui/toast";
import { applicationRow } from "~tests/helpers/application-row";
import { server } from "~tests/msw/server";

const spinning = (button: HTMLElement) =>
  button.getAttribute("aria-busy") === "true" && button.querySelector("span[aria-hidden='true']") !== null;

describe("RowActions spinner placement", () => {
  it.each([
    ["APPROVED", "Approve Ada", "Reject Ada"],
    ["REJECTED", "Reject Ada", "Approve Ada"],
  ] as const)("while %s is in flight the spinner is on %s only", (pending, on, off) => {
    render(<RowActions row={applicationRow()} pending={pending} onAct={() => {}} />);
    const pressed = screen.getByRole("button", { name: on });
    const other = screen.getByRole("button", { name: off });
    expect(spinning(pressed)).toBe(true);
    expect(spinning(other)).toBe(false);
    expect((other as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows the spinner on Retry while a retry is in flight", () => {
    render(
      <RowActions
        row={applicationRow({ status: "APPROVED_ROLE_FAILED", retryCount: 1 })}
        pending="retry"
        onAct={() => {}}
      />,
    );
    expect(spinning(screen.getByRole("button", { name: /^Retry \(2\/5\)/ }))).toBe(true);
  });
});

describe("ReviewActions", () => {
  it("puts the spinner on Reject while the reject request is in flight, then reports the result", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const row = applicationRow();
    let body: unknown;
    server.use(
      http.post("*/api/orgs/acme/applications/a1/reject", async ({ request }) => {
        body = await request.json();
        await held;
        return HttpResponse.json({
          application: {
            ...row,
            status: "REJECTED",
            roleAssignment: { errorCode: null, errorMessage: null, retryCount: 0 },
          },
        });
      }),
    );
    const updated: string[] = [];
    render(
      <ToastProvider>
        <ReviewActions slug="acme" row={row} onUpdated={(r) => updated.push(r.status)} />
      </ToastProvider>,
    );
    await userEvent.click(screen.getByRole("button", { name: "Reject Ada" }));
    // Reject asks first (issue 14): nothing is sent until the dialog is confirmed.
    expect(body).toBeUndefined();
    await userEvent.click(await screen.findByRole("button", { name: "Reject" }));
    await waitFor(() => expect(spinning(screen.getByRole("button", { name: "Reject Ada" }))).toBe(true));
    expect(body).toEqual({});
    expect(spinning(screen.getByRole("button", { name: "Approve Ada" }))).toBe(false);
    release();
    await screen.findByText("Rejected Ada.");
    expect(updated).toEqual(["REJECTED"]);
  });

  it("says in words why an approval failed, and the error toast stays until dismissed", async () => {
    server.use(
      http.post("*/api/orgs/acme/applications/a1/approve", () =>
        HttpResponse.json(
          {
            error: {
              code: "conflict",
              message: "Someone else reviewed this application meanwhile. Reload to see its status.",
              requestId: "r",
            },
          },
          { status: 409 },
        ),
      ),
    );
    render(
      <ToastProvider>
        <ReviewActions slug="acme" row={applicationRow()} onUpdated={() => {}} />
      </ToastProvider>,
    );
    await userEvent.click(screen.getByRole("button", { name: "Approve Ada" }));
    const alert = await screen.findByText(
      "Someone else reviewed this application meanwhile. Reload to see its status.",
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(alert.isConnected).toBe(true);
    await userEvent.click(screen.getByRole("button", { name: "Dismiss message" }));
    expect(screen.queryByText(/Someone else reviewed/)).toBeNull();
  });
});
