// The webhook settings: creating an endpoint shows its signing secret once (gone after Done, never in the list),
// "Send test event" calls the test route and says what happens next, and an endpoint switched off after sustained
// failure says so with its reason, cannot send a test event, and can be enabled again. The dashboard's notice about
// disabled endpoints names each one with its reason and links to the settings.
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { ToastProvider } from "@/components/ui/toast";
import { DisabledWebhooksNotice } from "@/components/webhooks/disabled-notice";
import { type EndpointRow, WebhooksManager } from "@/components/webhooks/webhooks-manager";
import { server } from "~tests/msw/server";

const disabledRows = vi.hoisted(() => ({ value: [] as { url: string; disabledReason: string | null }[] }));
// The notice is a server component over one query; the query's own behaviour is in tests/integration/webhooks.
vi.mock("@/lib/webhooks/endpoints", () => ({
  listAutoDisabledEndpoints: async () => disabledRows.value,
}));

const EVENTS = ["application.submitted", "application.approved", "role.failed"];
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

function endpoint(overrides: Partial<EndpointRow> = {}): EndpointRow {
  return {
    id: "e1",
    url: "https://hooks.example.com/guildgate",
    description: "",
    eventTypes: EVENTS,
    enabled: true,
    consecutiveFailures: 0,
    disabledAt: null,
    disabledReason: null,
    ...overrides,
  };
}

function renderManager(initial: EndpointRow[] = []) {
  return render(
    <ToastProvider>
      <WebhooksManager slug="acme" initial={initial} eventTypes={EVENTS} />
    </ToastProvider>,
  );
}

describe("WebhooksManager", () => {
  it("creates an endpoint with the chosen events and shows its signing secret once", async () => {
    const user = userEvent.setup();
    let sent: { url: string; description: string; eventTypes: string[] } | undefined;
    server.use(
      http.post("*/api/orgs/acme/webhooks", async ({ request }) => {
        sent = (await request.json()) as typeof sent;
        return HttpResponse.json(
          { endpoint: endpoint({ url: sent!.url, eventTypes: sent!.eventTypes }), secret: SECRET },
          { status: 201 },
        );
      }),
    );
    renderManager();
    expect(screen.getByText("No webhook endpoints")).toBeTruthy();
    const add = screen.getByRole("button", { name: "Add endpoint" }) as HTMLButtonElement;
    expect(add.disabled).toBe(true);

    await user.type(screen.getByLabelText(/^URL/), "https://hooks.example.com/guildgate");
    await user.type(screen.getByLabelText(/^Description/), "CRM sync");
    await user.click(screen.getByRole("checkbox", { name: "role.failed" }));
    await user.click(add);

    await waitFor(() => expect(screen.getByTestId("webhook-secret").textContent).toBe(SECRET));
    expect(sent).toEqual({
      url: "https://hooks.example.com/guildgate",
      description: "CRM sync",
      eventTypes: ["application.submitted", "application.approved"],
    });
    expect(screen.getByText(/This is the only time it is shown/)).toBeTruthy();
    // The new endpoint is listed, and the form is empty again.
    expect(screen.getAllByText("https://hooks.example.com/guildgate").length).toBeGreaterThan(0);
    expect((screen.getByLabelText(/^URL/) as HTMLInputElement).value).toBe("");

    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByTestId("webhook-secret")).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it("shows the server's words when the URL is refused, and no secret", async () => {
    const user = userEvent.setup();
    server.use(
      http.post("*/api/orgs/acme/webhooks", () =>
        HttpResponse.json(
          { error: { code: "validation_failed", message: "url: must be an https URL.", requestId: "r1" } },
          { status: 400 },
        ),
      ),
    );
    renderManager();
    await user.type(screen.getByLabelText(/^URL/), "ftp://nope");
    await user.click(screen.getByRole("button", { name: "Add endpoint" }));
    const shown = await screen.findByText(/url: must be an https URL\./);
    expect(shown.getAttribute("role")).toBe("alert");
    expect(screen.queryByTestId("webhook-secret")).toBeNull();
  });

  it("sends a test event through the test route and says where to look", async () => {
    const user = userEvent.setup();
    const tested: string[] = [];
    server.use(
      http.post("*/api/orgs/acme/webhooks/:id/test", ({ params }) => {
        tested.push(String(params.id));
        return HttpResponse.json({ delivery: { id: "d1" } }, { status: 202 });
      }),
    );
    renderManager([endpoint()]);
    await user.click(screen.getByRole("button", { name: "Send test event" }));
    expect(await screen.findByText(/Test event queued/)).toBeTruthy();
    expect(tested).toEqual(["e1"]);
  });

  it("shows an endpoint disabled after sustained failure with its reason, and enables it again", async () => {
    const user = userEvent.setup();
    const reason = "Disabled after 5 days of failed deliveries (last: HTTP 500).";
    const patched: unknown[] = [];
    server.use(
      http.patch("*/api/orgs/acme/webhooks/:id", async ({ request }) => {
        patched.push(await request.json());
        return HttpResponse.json({ endpoint: endpoint() });
      }),
    );
    renderManager([
      endpoint({
        enabled: false,
        consecutiveFailures: 40,
        disabledAt: new Date().toISOString(),
        disabledReason: reason,
      }),
    ]);
    expect(screen.getByText("Disabled")).toBeTruthy();
    expect(screen.getByText(reason)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Send test event" }) as HTMLButtonElement).disabled).toBe(true);

    await user.click(screen.getByRole("button", { name: "Enable" }));
    expect(await screen.findByText(/Enabled\. New events are sent again\./)).toBeTruthy();
    expect(patched).toEqual([{ enabled: true }]);
    expect(screen.getByText("Enabled")).toBeTruthy();
    expect(screen.queryByText(reason)).toBeNull();
    expect((screen.getByRole("button", { name: "Send test event" }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe("DisabledWebhooksNotice", () => {
  it("names each disabled endpoint with its reason and links to the webhook settings", async () => {
    disabledRows.value = [
      { url: "https://a.example.com/h", disabledReason: "Failing for over 5 days." },
      { url: "https://b.example.com/h", disabledReason: null },
    ];
    render((await DisabledWebhooksNotice({ organizationId: "o1", slug: "acme" }))!);
    const notice = screen.getByRole("status");
    expect(within(notice).getByText("2 webhook endpoints were disabled")).toBeTruthy();
    expect(notice.textContent).toContain("https://a.example.com/h: Failing for over 5 days.");
    expect(notice.textContent).toContain("https://b.example.com/h: too many failed deliveries");
    expect(within(notice).getByRole("link", { name: "enable it again" }).getAttribute("href")).toBe(
      "/dashboard/acme/webhooks",
    );
  });

  it("renders nothing while every endpoint is enabled", async () => {
    disabledRows.value = [];
    expect(await DisabledWebhooksNotice({ organizationId: "o1", slug: "acme" })).toBeNull();
  });
});
