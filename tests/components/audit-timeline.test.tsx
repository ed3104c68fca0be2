import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AuditTimeline } from "@/components/audit/audit-timeline";
import { describeAction } from "@/components/audit/describe";
import type { AuditEntry } from "@/lib/audit/list-audit";

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: crypto.randomUUID(),
  action: "application.submit",
  outcome: "SUCCESS",
  targetType: "application",
  targetId: "a1",
  metadata: {},
  ip: null,
  createdAt: new Date("2026-01-02T03:04:05Z"),
  actor: { kind: "system" },
  ...over,
});

describe("audit in words", () => {
  it("tells an application's story oldest first, with who did what", () => {
    render(
      <AuditTimeline
        entries={[
          entry({ action: "application.submit", actor: { kind: "user", id: "u1", name: "Alex" } }),
          entry({
            action: "application.approve",
            metadata: { from: "PENDING", to: "APPROVED_PENDING_ROLE" },
            actor: { kind: "user", id: "u2", name: "Ada" },
          }),
          entry({
            action: "application.role_failed",
            outcome: "FAILED",
            metadata: { errorCode: "missing_permissions" },
          }),
          entry({ action: "discord.assign_role", actor: { kind: "token", id: "t1", name: "CI", prefix: "ggt_abcd" } }),
        ]}
      />,
    );
    const items = screen.getAllByRole("listitem").map((li) => li.textContent);
    expect(items[0]).toContain("Application submitted");
    // No subject resolved: the words still stand.
    expect(items[0]).toContain("Alex");
    expect(items[1]).toContain("Approved, assigning the role");
    expect(items[2]).toContain("Role could not be given (the bot lacks permission)");
    expect(items[2]).toContain("Guildgate");
    expect(items[3]).toContain("API token “CI” (ggt_abcd…)");
    expect(items[0]).toContain("2026-01-02 03:04:05 UTC");
  });

  it("says when nothing happened yet, and never breaks on an action it does not know", () => {
    render(<AuditTimeline entries={[]} />);
    expect(screen.getByText("Nothing recorded yet.")).toBeTruthy();
    expect(describeAction(entry({ action: "something.new", metadata: { reason: "x" } }))).toBe("something.new (x)");
    expect(
      describeAction(entry({ action: "application.transition", metadata: { to: "APPROVED_ROLE_ASSIGNED" } })),
    ).toBe("Now role assigned");
  });

  it("words the rejection's reason and what became of the decision message (issue 14)", () => {
    const subjects = { "application:a1": "Alex Applicant" };
    expect(
      describeAction(entry({ action: "application.reject", metadata: { reason: "Too short_answers" } }), subjects),
    ).toBe("Rejected Alex Applicant: “Too short_answers”");
    expect(describeAction(entry({ action: "application.message_sent", metadata: { target: "dm" } }), subjects)).toBe(
      "Decision message to Alex Applicant sent",
    );
    expect(
      describeAction(
        entry({ action: "application.message_not_delivered", metadata: { target: "dm", code: "dms_closed" } }),
        subjects,
      ),
    ).toBe("Decision message to Alex Applicant: not delivered (the applicant's DMs are closed)");
    expect(describeAction(entry({ action: "application.message_sent", metadata: { target: "log" } }))).toBe(
      "Decision posted in the log channel",
    );
  });

  it("says whom an entry is about, and credits a submission to the applicant, not to Guildgate", () => {
    const subjects = { "application:a1": "Alex Applicant", "user:u9": "Mia Member" };
    render(
      <AuditTimeline
        subjects={subjects}
        entries={[
          entry({ action: "application.submit" }),
          entry({ action: "application.reject", actor: { kind: "user", id: "u2", name: "Ada" } }),
          entry({
            action: "member.add",
            targetType: "user",
            targetId: "u9",
            metadata: { role: "REVIEWER" },
            actor: { kind: "user", id: "u2", name: "Ada" },
          }),
          entry({
            action: "member.role_change",
            targetType: "user",
            targetId: "gone",
            metadata: { discordUserId: "80351110224678912", from: "ADMIN", to: "REVIEWER" },
          }),
        ]}
      />,
    );
    const items = screen.getAllByRole("listitem").map((li) => li.textContent ?? "");
    expect(items[0]).toContain("Application from Alex Applicant");
    expect(items[0]).toContain("Alex Applicant (applicant)");
    expect(items[0]).not.toContain("Guildgate");
    expect(items[1]).toContain("Rejected Alex Applicant");
    expect(items[2]).toContain("Added Mia Member as reviewer");
    expect(items[3]).toContain("Changed Discord user 80351110224678912's role from admin to reviewer");
    expect(items.join(" ")).not.toMatch(/member\.|application\./);
  });
});
