import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { ApplicationsTable } from "@/components/applications/applications-table";
import type { ApplicationRow } from "@/components/applications/types";
import { ToastProvider } from "@/components/ui/toast";
import { applicationRow } from "~tests/helpers/application-row";
import { server } from "~tests/msw/server";

const row = (id: string, over: Partial<ApplicationRow> = {}): ApplicationRow =>
  applicationRow({ id, applicantName: `Applicant ${id}`, ...over });
const dto = (r: ApplicationRow, status: ApplicationRow["status"]) => ({
  ...r,
  status,
  roleAssignment: { errorCode: null, errorMessage: null, retryCount: r.retryCount },
});

describe("bulk reject and retry", () => {
  it("rejects a pending and a failed application in one request and shows each item's result", async () => {
    const rows = [
      row("a"),
      row("b", {
        status: "APPROVED_ROLE_FAILED",
        roleErrorCode: "missing_permissions",
        roleErrorMessage: "x, then retry.",
      }),
      row("c"),
    ];
    let body: unknown;
    server.use(
      http.post("*/api/orgs/acme/applications/bulk", async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({
          results: [
            { id: "a", ok: true, application: dto(rows[0]!, "REJECTED") },
            {
              id: "b",
              ok: false,
              code: "conflict",
              message: "The application was changed by someone else; reload and try again.",
            },
          ],
        });
      }),
    );
    render(
      <ToastProvider>
        <ApplicationsTable
          slug="acme"
          initialItems={rows}
          status=""
          cursor={null}
          limit={25}
          canReview
          slowPollMs={60_000}
          fastPollMs={60_000}
        />
      </ToastProvider>,
    );
    await userEvent.click(screen.getByRole("checkbox", { name: "Select Applicant a" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "Select Applicant b" }));
    // Only the failed one can be retried; both can be rejected; only the pending one approved.
    expect(screen.getByRole("button", { name: "Approve selected (1)" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Retry selected (1)" })).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Reject selected (2)" }));
    // Bulk reject asks first, with one reason for all of them (issue 14).
    expect(body).toBeUndefined();
    // The dialog loads on first open (reject-dialog.tsx), so it is waited for.
    await userEvent.type(await screen.findByRole("textbox", { name: "Reason (optional)" }), "Closed for now");
    await userEvent.click(screen.getByRole("button", { name: "Reject" }));
    await waitFor(() =>
      expect(body).toEqual({ action: "reject", applicationIds: ["a", "b"], reason: "Closed for now" }),
    );
    const rowOf = (name: string) => screen.getByRole("link", { name }).closest("tr")!;
    await waitFor(() => expect(within(rowOf("Applicant a")).getByText("Rejected")).toBeTruthy());
    expect(await screen.findByText(/Rejected 1 of 2\. Applicant b: The application was changed/)).toBeTruthy();
  }, 30_000); // user-event on a loaded machine
});
