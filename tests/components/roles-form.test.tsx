// The roles picker: a role with dangerous permissions is offered only after an owner allows it, the allowance is
// sent with the save, and anyone else sees why they cannot allow it (the server refuses them too).
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { RolesForm } from "@/components/bot/roles-form";
import { ToastProvider } from "@/components/ui/toast";
import { server } from "~tests/msw/server";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }) }));

const ROLES = {
  settings: {
    approvedRoleId: "11",
    assignableRoleIds: [],
    roles: [
      {
        id: "13",
        name: "Mods",
        assignable: false,
        reason: "carries dangerous permissions; only an owner can allow it",
        dangerousPermissions: ["KickMembers", "ManageMessages"],
        dangerousAllowed: false,
      },
      {
        id: "12",
        name: "Bots",
        assignable: false,
        reason: "managed by an integration",
        dangerousPermissions: ["Administrator"],
      },
      { id: "11", name: "Member", assignable: true },
    ],
  },
};

function serve(onPut: (body: unknown) => void) {
  server.use(
    http.get("*/api/orgs/acme/bot/roles", () => HttpResponse.json(ROLES)),
    http.put("*/api/orgs/acme/bot/roles", async ({ request }) => {
      onPut(await request.json());
      return HttpResponse.json(ROLES);
    }),
  );
}

describe("RolesForm", () => {
  it("lets an owner allow a dangerous role, which then becomes assignable and is saved with the allowance", async () => {
    const puts: unknown[] = [];
    serve((body) => puts.push(body));
    render(
      <ToastProvider>
        <RolesForm slug="acme" isOwner />
      </ToastProvider>,
    );
    const allow = await screen.findByRole("checkbox", { name: /Allow “Mods” \(Kick Members, Manage Messages\)/ });
    // Only the role nothing else blocks can be allowed: the managed one is not offered.
    expect(screen.queryByRole("checkbox", { name: /Allow “Bots”/ })).toBeNull();
    expect(screen.queryByRole("checkbox", { name: "Mods" })).toBeNull();
    expect((screen.getByRole("option", { name: /Mods/ }) as HTMLOptionElement).disabled).toBe(true);

    await userEvent.click(allow);
    expect((screen.getByRole("option", { name: "Mods" }) as HTMLOptionElement).disabled).toBe(false);
    await userEvent.click(screen.getByRole("checkbox", { name: "Mods" }));
    await userEvent.click(screen.getByRole("button", { name: "Save roles" }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({ approvedRoleId: "11", assignableRoleIds: ["13"], allowDangerousRoleIds: ["13"] });
    expect(await screen.findByText("Roles saved.")).toBeTruthy();
  });

  it("shows an admin why only an owner can allow it, and never sends allowances", async () => {
    const puts: unknown[] = [];
    serve((body) => puts.push(body));
    render(
      <ToastProvider>
        <RolesForm slug="acme" isOwner={false} />
      </ToastProvider>,
    );
    const allow = await screen.findByRole("checkbox", { name: /Allow “Mods”/ });
    expect((allow as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText(/only an owner can allow one/)).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Save roles" }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({ approvedRoleId: "11", assignableRoleIds: [] });
  });

  it("keeps a refusal from the server in words beside the form", async () => {
    server.use(
      http.get("*/api/orgs/acme/bot/roles", () => HttpResponse.json(ROLES)),
      http.put("*/api/orgs/acme/bot/roles", () =>
        HttpResponse.json(
          { error: { code: "role_dangerous", message: "“Mods” carries dangerous permissions.", requestId: "r" } },
          { status: 422 },
        ),
      ),
    );
    render(
      <ToastProvider>
        <RolesForm slug="acme" isOwner />
      </ToastProvider>,
    );
    await userEvent.click(await screen.findByRole("button", { name: "Save roles" }));
    const message = await screen.findByText("“Mods” carries dangerous permissions.");
    expect(message.getAttribute("role")).toBe("alert");
    expect(document.activeElement).toBe(message);
  });
});
