import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { ApplicationsTable, mergePage } from "@/components/applications/applications-table";
import type { ApplicationRow } from "@/components/applications/types";
import { applicationRow } from "~tests/helpers/application-row";
import { server } from "~tests/msw/server";

const row = (id: string, over: Partial<ApplicationRow> = {}): ApplicationRow =>
  applicationRow({ id, applicantName: `Applicant ${id}`, ...over });

/** What the approve route answers (src/lib/applications/queries/dto.ts shape). */
const dto = (r: ApplicationRow, status: ApplicationRow["status"]) => ({
  ...r,
  status,
  roleAssignment: { errorCode: null, errorMessage: null, retryCount: r.retryCount },
});

describe("ApplicationsTable", () => {
  it("bulk-approves the selected pending applications with progress, and each row shows its new state", async () => {
    const rows = [row("a"), row("b"), row("c"), row("d", { status: "REJECTED" })];
    const approved: string[] = [];
    server.use(
      http.post("*/api/orgs/acme/applications/:id/approve", async ({ params }) => {
        await new Promise((r) => setTimeout(r, 40));
        approved.push(String(params.id));
        const r = rows.find((x) => x.id === params.id)!;
        return HttpResponse.json({ application: dto(r, "APPROVED_PENDING_ROLE") });
      }),
    );
    render(
      <ApplicationsTable
        slug="acme"
        initialItems={rows}
        status=""
        cursor={null}
        limit={25}
        canReview
        slowPollMs={60_000}
        fastPollMs={60_000}
      />,
    );
    // Only pending rows can be selected.
    expect(screen.queryByRole("checkbox", { name: "Select Applicant d" })).toBeNull();
    await userEvent.click(screen.getByRole("checkbox", { name: "Select Applicant a" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "Select Applicant c" }));
    await userEvent.click(screen.getByRole("button", { name: "Approve selected (2)" }));
    await userEvent.click(screen.getByRole("button", { name: "Approve all" }));
    const progress = await screen.findByRole("progressbar", { name: "Bulk approval progress" });
    expect(progress.getAttribute("max")).toBe("2");
    await waitFor(() => expect(approved.sort()).toEqual(["a", "c"]));
    const rowOf = (name: string) => screen.getByRole("link", { name }).closest("tr")!;
    await waitFor(() => expect(within(rowOf("Applicant a")).getByText("Approved – Assigning role…")).toBeTruthy());
    expect(within(rowOf("Applicant c")).getByText("Approved – Assigning role…")).toBeTruthy();
    expect(within(rowOf("Applicant b")).getByText("Pending")).toBeTruthy();
  });

  it("a row assigning its role is polled and settles without a reload", async () => {
    const settling = row("a", { status: "APPROVED_PENDING_ROLE" });
    let polls = 0;
    server.use(
      http.get("*/api/orgs/acme/applications", () => {
        polls++;
        return HttpResponse.json({
          items: [dto(settling, polls >= 2 ? "APPROVED_ROLE_ASSIGNED" : "APPROVED_PENDING_ROLE")],
          nextCursor: null,
        });
      }),
    );
    render(
      <ApplicationsTable
        slug="acme"
        initialItems={[settling]}
        status=""
        cursor={null}
        limit={25}
        canReview
        fastPollMs={30}
        slowPollMs={60_000}
      />,
    );
    expect(await screen.findByText("Approved – Role assigned", {}, { timeout: 2000 })).toBeTruthy();
    const after = polls;
    await new Promise((r) => setTimeout(r, 150));
    // Settled: the fast poll stops.
    expect(polls).toBe(after);
  });
});

describe("mergePage", () => {
  it("updates rows on screen, adds new ones on top of the first page only", () => {
    const current = [row("b"), row("a")];
    const fresh = [row("c"), row("b", { status: "REJECTED" })];
    expect(mergePage(current, fresh, true).map((r) => `${r.id}:${r.status}`)).toEqual([
      "c:PENDING",
      "b:REJECTED",
      "a:PENDING",
    ]);
    expect(mergePage(current, fresh, false).map((r) => r.id)).toEqual(["b", "a"]);
  });
});
