// The one message an applicant gets when their approval's role fails: rendered with the approval, so it covers both
// cases (not in the server yet: join, with the invite, and the role follows; otherwise the team is on it). Never a
// ping.
import { describe, expect, it } from "vitest";
import { renderLogLine, renderRoleDelayed } from "@/lib/notifications/templates";

const values = { applicant: "Alex", server: "Demo Guild", form: "Members" };

describe("renderRoleDelayed", () => {
  it("says the approval stands, how to get the role when not in the server (with the invite), and what follows", () => {
    expect(renderRoleDelayed({ values, inviteUrl: "https://discord.gg/acme123" })).toBe(
      "Hi Alex! Your application to Demo Guild (Members) was approved, but your role is taking longer than usual. " +
        "If you are not in the server yet, join it (https://discord.gg/acme123): the role follows by itself once you " +
        "are in. Otherwise the server's team is fixing it, nothing to do on your side. We will message you once you have it.",
    );
  });

  it("without an invite it says to join all the same; mentions in names are inert", () => {
    const text = renderRoleDelayed({ values: { ...values, applicant: "@everyone" }, inviteUrl: null });
    expect(text).toMatch(/^Hi @\u200beveryone! .* If you are not in the server yet, join it: the role follows/);
    expect(text).not.toContain("discord.gg");
  });
});

describe("renderLogLine for a revocation", () => {
  it("names who revoked it and why", () => {
    expect(renderLogLine("revoked", { ...values, reason: "Left", reviewer: "Rita" })).toBe(
      "Application of Alex (Members) revoked (approval withdrawn) by Rita. Reason: Left",
    );
  });
});
