// Review in Discord settings: channels say what the bot lacks there, the choice and reviewer roles are saved, an
// own bot sees its Interactions Endpoint URL, and a refusal stays beside the form in words.
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { ReviewForm } from "@/components/bot/review-form";
import { ToastProvider } from "@/components/ui/toast";
import { server } from "~tests/msw/server";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }) }));

const SETTINGS = {
  settings: {
    reviewChannelId: null,
    reviewerRoleIds: [],
    channels: [
      { id: "21", name: "staff", missing: [] },
      { id: "22", name: "general", missing: ["Embed Links"] },
    ],
    roles: [
      { id: "31", name: "Moderators" },
      { id: "32", name: "Member" },
    ],
  },
};

function show(props: { interactionsUrl: string | null } = { interactionsUrl: null }) {
  render(
    <ToastProvider>
      <ReviewForm slug="acme" {...props} />
    </ToastProvider>,
  );
}

describe("ReviewForm", () => {
  it("saves the channel and reviewer roles, and says what the bot lacks in a channel", async () => {
    const puts: unknown[] = [];
    server.use(
      http.get("*/api/orgs/acme/bot/review", () => HttpResponse.json(SETTINGS)),
      http.put("*/api/orgs/acme/bot/review", async ({ request }) => {
        puts.push(await request.json());
        return HttpResponse.json(SETTINGS);
      }),
    );
    show();
    const channel = await screen.findByLabelText("Review channel");
    expect(screen.getByRole("option", { name: "#general (the bot lacks Embed Links)" })).toBeTruthy();
    await userEvent.selectOptions(channel, "22");
    expect(screen.getByText(/The bot lacks Embed Links in #general/).getAttribute("role")).toBe("status");
    await userEvent.selectOptions(channel, "21");
    await userEvent.click(screen.getByRole("checkbox", { name: "Moderators" }));
    await userEvent.click(screen.getByRole("button", { name: "Save review settings" }));
    await waitFor(() => expect(puts).toEqual([{ reviewChannelId: "21", reviewerRoleIds: ["31"] }]));
    expect(await screen.findByText("New applications will be posted in Discord.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Copy Interactions Endpoint URL" })).toBeNull();
  });

  it("shows an own bot its Interactions Endpoint URL, and keeps a refusal in words", async () => {
    server.use(
      http.get("*/api/orgs/acme/bot/review", () => HttpResponse.json(SETTINGS)),
      http.put("*/api/orgs/acme/bot/review", () =>
        HttpResponse.json(
          { error: { code: "invalid_channel", message: "That channel is not in the server.", requestId: "r" } },
          { status: 400 },
        ),
      ),
    );
    show({ interactionsUrl: "https://guildgate.example/api/discord/interactions/1100" });
    expect(await screen.findByRole("button", { name: "Copy Interactions Endpoint URL" })).toBeTruthy();
    expect(screen.getByTestId("copy-value").textContent).toBe(
      "https://guildgate.example/api/discord/interactions/1100",
    );
    await userEvent.click(screen.getByRole("button", { name: "Save review settings" }));
    const message = await screen.findByText("That channel is not in the server.");
    expect(message.getAttribute("role")).toBe("alert");
  });

  it("offers Try again when the server's channels cannot be read", async () => {
    let calls = 0;
    server.use(
      http.get("*/api/orgs/acme/bot/review", () =>
        ++calls === 1
          ? HttpResponse.json(
              { error: { code: "discord_unavailable", message: "Discord did not answer.", requestId: "r" } },
              { status: 502 },
            )
          : HttpResponse.json(SETTINGS),
      ),
    );
    show();
    expect(await screen.findByText("Discord did not answer.")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByLabelText("Review channel")).toBeTruthy();
    expect(calls).toBe(2);
  });
});
