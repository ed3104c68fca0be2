// Creating an organization: a taken URL name is told at that field (focus moves there), any other refusal beside
// the form, and a success keeps the button busy while the next page loads.
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { CreateOrganizationForm } from "@/components/dashboard/create-organization-form";
import { ToastProvider } from "@/components/ui/toast";
import { server } from "~tests/msw/server";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }) }));

function renderForm() {
  render(
    <ToastProvider>
      <CreateOrganizationForm />
    </ToastProvider>,
  );
}

describe("CreateOrganizationForm", () => {
  it("puts a taken URL name on its field and moves focus there", async () => {
    server.use(
      http.post("*/api/orgs", () =>
        HttpResponse.json(
          {
            error: {
              code: "already_exists",
              message: "An organization with this address already exists.",
              requestId: "r",
              details: [{ path: "slug", message: "Another organization already uses this URL name; pick another." }],
            },
          },
          { status: 409 },
        ),
      ),
    );
    renderForm();
    await userEvent.type(screen.getByLabelText("Organization name"), "Acme");
    const slug = screen.getByLabelText("URL name (optional)");
    await userEvent.type(slug, "acme");
    await userEvent.click(screen.getByRole("button", { name: "Create organization" }));
    expect(await screen.findByText(/already uses this URL name/)).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(slug));
    expect(slug.getAttribute("aria-invalid")).toBe("true");
    expect(push).not.toHaveBeenCalled();
  });

  it("shows any other refusal beside the form, and goes to the new organization on success", async () => {
    let calls = 0;
    server.use(
      http.post("*/api/orgs", () =>
        ++calls === 1
          ? HttpResponse.json(
              {
                error: { code: "service_unavailable", message: "The service is briefly unavailable.", requestId: "r" },
              },
              { status: 503 },
            )
          : HttpResponse.json({ organization: { slug: "acme" } }, { status: 201 }),
      ),
    );
    renderForm();
    await userEvent.type(screen.getByLabelText("Organization name"), "Acme");
    const button = screen.getByRole("button", { name: "Create organization" });
    await userEvent.click(button);
    expect((await screen.findByText("The service is briefly unavailable.")).getAttribute("role")).toBe("alert");
    await userEvent.click(button);
    await waitFor(() => expect(push).toHaveBeenCalledWith("/dashboard/acme/settings"));
    expect(button.getAttribute("aria-busy")).toBe("true");
  });
});
