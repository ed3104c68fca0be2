import { act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CONNECT_LABEL, ConnectButton } from "@/components/bot/connect-button";
import { ConnectNotice } from "@/components/bot/connect-notice";
import { BOT_CONNECT_ERRORS } from "@/components/dashboard/messages";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh, push: vi.fn() }) }));

afterEach(() => {
  vi.useRealTimers();
  refresh.mockReset();
});

describe("ConnectButton", () => {
  it("links to bot-connect when disconnected, and says Retry Connection after an error", () => {
    const { rerender } = render(
      <ConnectButton
        slug="acme"
        state="DISCONNECTED"
        connectHref="/api/discord/bot-connect?org=acme"
        fetchState={vi.fn()}
      />,
    );
    const link = screen.getByRole("link", { name: "Connect Discord Bot" });
    expect(link.getAttribute("href")).toBe("/api/discord/bot-connect?org=acme");
    rerender(<ConnectButton slug="acme" state="ERROR" connectHref="/x" fetchState={vi.fn()} />);
    expect(screen.getByRole("link", { name: "Retry Connection" })).toBeTruthy();
  });

  it("shows Connected without any action", () => {
    render(<ConnectButton slug="acme" state="CONNECTED" connectHref="/x" fetchState={vi.fn()} />);
    expect(screen.getByRole("status").textContent).toContain("Connected");
    expect(screen.queryByRole("link")).toBeNull();
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("while connecting: a disabled busy button with a spinner, polling every 2 s until the state settles", async () => {
    vi.useFakeTimers();
    const fetchState = vi.fn().mockResolvedValueOnce("CONNECTING").mockResolvedValueOnce("CONNECTED");
    render(<ConnectButton slug="acme" state="CONNECTING" connectHref="/x" fetchState={fetchState} />);
    const button = screen.getByRole("button", { name: CONNECT_LABEL.CONNECTING });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(button.getAttribute("aria-busy")).toBe("true");

    await act(() => vi.advanceTimersByTimeAsync(1999));
    expect(fetchState).toHaveBeenCalledTimes(0);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(fetchState).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("button", { name: "Connecting..." })).toBeTruthy();

    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(fetchState).toHaveBeenCalledTimes(2);
    expect(screen.getByRole("status").textContent).toContain("Connected");
    expect(refresh).toHaveBeenCalledTimes(1);

    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(fetchState).toHaveBeenCalledTimes(2);
  });

  it("keeps polling through a failed status read and lands on Retry Connection when the connect failed", async () => {
    vi.useFakeTimers();
    const fetchState = vi.fn().mockRejectedValueOnce(new Error("offline")).mockResolvedValueOnce("ERROR");
    render(<ConnectButton slug="acme" state="CONNECTING" connectHref="/x" fetchState={fetchState} />);
    await act(() => vi.advanceTimersByTimeAsync(4000));
    expect(screen.getByRole("link", { name: "Retry Connection" })).toBeTruthy();
  });
});

describe("ConnectNotice", () => {
  const CALLBACK_CODES = [
    "invalid_state",
    "unauthorized",
    "forbidden",
    "cancelled",
    "connection_in_progress",
    "already_connected",
    "no_guild",
    "guild_taken",
    "role_creation_failed",
    "save_failed",
    "discord_error",
    "internal_error",
  ];

  it.each(CALLBACK_CODES)("explains ?error=%s in plain language", (code) => {
    render(<ConnectNotice error={code} />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain(BOT_CONNECT_ERRORS[code]!.title);
    expect(alert.textContent).toContain(BOT_CONNECT_ERRORS[code]!.text);
    // The raw code (e.g. guild_taken) is for machines; people read the sentence.
    if (code.includes("_")) expect(alert.textContent).not.toContain(code);
  });

  it("every message is distinct, and an unknown code still gets a sentence", () => {
    expect(new Set(CALLBACK_CODES.map((c) => BOT_CONNECT_ERRORS[c]!.text)).size).toBe(CALLBACK_CODES.length);
    render(<ConnectNotice error="something_new" />);
    expect(screen.getByRole("alert").textContent).toMatch(/could not be connected/);
  });

  it("the invalid-state message tells the admin nothing was connected and how to start again", () => {
    render(<ConnectNotice error="invalid_state" />);
    expect(screen.getByRole("alert").textContent).toMatch(/Nothing was connected\. Start again/);
  });

  it("confirms a successful connection", () => {
    render(<ConnectNotice success="bot_connected" />);
    expect(screen.getByRole("status").textContent).toMatch(/The bot is connected/);
  });
});
