import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import ErrorPage from "@/app/error";
import { SERVICE_UNAVAILABLE_DIGEST } from "@/lib/errors/outage-digest";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }) }));

describe("error page", () => {
  it("shows 'temporarily unavailable' for a database outage", () => {
    const error = Object.assign(new Error("An error occurred in the Server Components render."), {
      digest: SERVICE_UNAVAILABLE_DIGEST,
    });
    render(<ErrorPage error={error} reset={() => {}} />);
    expect(screen.getByRole("heading", { name: "Guildgate is temporarily unavailable" })).toBeTruthy();
    expect(screen.getByText("503")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("shows a plain error without internal text for anything else", () => {
    const error = Object.assign(new Error("secret internal detail"), { digest: "12345" });
    const { container } = render(<ErrorPage error={error} reset={() => {}} />);
    expect(screen.getByRole("heading", { name: "Something went wrong on our side" })).toBeTruthy();
    expect(container.textContent).not.toContain("secret internal detail");
  });
});
