// The settings preview renders with the function the job sends with: placeholders filled, the default when the
// template is empty, mentions neutralized, Discord's 2000-character limit, and unknown placeholders called out.
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { TemplatePreview } from "@/components/applicants/template-preview";
import { DEFAULT_TEMPLATES, NO_REASON_TEXT, renderTemplate, SAMPLE_VALUES } from "@/lib/notifications/templates";

describe("TemplatePreview", () => {
  it("fills the placeholders with sample values and the real server name", () => {
    render(
      <TemplatePreview
        template="Sorry {applicant}, {server} said no to {form}: {reason}"
        event="rejected"
        server="Demo Guild"
      />,
    );
    expect(screen.getByTestId("preview-rejected").textContent).toBe(
      `Sorry ${SAMPLE_VALUES.applicant}, Demo Guild said no to ${SAMPLE_VALUES.form}: ${SAMPLE_VALUES.reason}`,
    );
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows the default message when the template is empty", () => {
    render(<TemplatePreview template="   " event="approved" server="Demo Guild" />);
    expect(screen.getByText(/the default message/)).toBeTruthy();
    expect(screen.getByTestId("preview-approved").textContent).toBe(
      DEFAULT_TEMPLATES.approved
        .replace("{applicant}", SAMPLE_VALUES.applicant)
        .replace("{server}", "Demo Guild")
        .replace("{form}", SAMPLE_VALUES.form),
    );
  });

  it("neutralizes @everyone, @here and role/user mentions, and names an unknown placeholder", () => {
    render(
      <TemplatePreview template="@everyone <@&123456789012345678> {nickname} @here" event="approved" server="G" />,
    );
    const text = screen.getByTestId("preview-approved").textContent!;
    expect(text).not.toMatch(/@everyone|@here|<@&\d+>/);
    expect(text).toContain("@\u200beveryone");
    expect(screen.getByRole("alert").textContent).toMatch(/\{nickname\}/);
  });

  it("never exceeds Discord's 2000 characters, however long the reason", () => {
    const long = renderTemplate({
      template: "x".repeat(1500) + "{reason}",
      event: "rejected",
      values: { ...SAMPLE_VALUES, reason: "y".repeat(5000) },
    });
    expect(long.length).toBe(2000);
    expect(renderTemplate({ template: null, event: "rejected", values: { ...SAMPLE_VALUES, reason: " " } })).toContain(
      NO_REASON_TEXT,
    );
  });
});
