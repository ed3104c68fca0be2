// The application page's messages: a held welcome says it waits for the role, a revocation and the "role follows"
// note are named, and a reviewer can send a failed or refused message again (only those), which POSTs the resend.
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { DecisionMessages, type DecisionMessageView } from "@/components/notifications/decision-messages";
import { ToastProvider } from "@/components/ui/toast";
import { server } from "~tests/msw/server";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh }) }));

const APP = "6f1c1d7e-8a55-4c61-9a2b-0f5f3f1c2d10";
const message = (over: Partial<DecisionMessageView>): DecisionMessageView => ({
  id: "m",
  target: "dm",
  event: "approved",
  content: "Hi",
  status: "SENT",
  errorMessage: null,
  attempts: 1,
  sentAt: null,
  ...over,
});

const MESSAGES = [
  message({ id: "held", status: "HELD", attempts: 0 }),
  message({ id: "delayed", event: "role_delayed", status: "SENT" }),
  message({ id: "failed", event: "revoked", status: "FAILED", errorMessage: "Not sent: Discord kept failing." }),
  message({ id: "refused", target: "log", event: "revoked", status: "NOT_DELIVERED", errorMessage: "Not posted." }),
];

describe("DecisionMessages", () => {
  it("names each message and offers Send again only for failed or refused ones, to reviewers", async () => {
    const posted: string[] = [];
    server.use(
      http.post("*/api/orgs/acme/applications/:app/messages/:id/resend", ({ params }) => {
        posted.push(`${params.app as string}/${params.id as string}`);
        return HttpResponse.json({ message: { id: params.id, status: "PENDING" } });
      }),
    );
    render(
      <ToastProvider>
        <DecisionMessages messages={MESSAGES} resend={{ slug: "acme", applicationId: APP }} />
      </ToastProvider>,
    );
    expect(screen.getByText("Waits for the role: sent once the applicant has it.")).toBeTruthy();
    expect(screen.getByText(/approval, role delayed/)).toBeTruthy();
    expect(screen.getAllByText(/revocation/)).toHaveLength(2);
    const buttons = screen.getAllByRole("button", { name: "Send again" });
    expect(buttons).toHaveLength(2);
    await userEvent.click(buttons[0]!);
    await waitFor(() => expect(posted).toEqual([`${APP}/failed`]));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
  });

  it("shows no button to someone who may not review", () => {
    render(<DecisionMessages messages={MESSAGES} />);
    expect(screen.queryByRole("button", { name: "Send again" })).toBeNull();
  });
});
