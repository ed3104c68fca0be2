// Issue 23 item 5: text a user supplied reaches Discord as typed. An applicant named "[Verify here](https://...)"
// put a working masked link into the team's log line; every renderer now uses the one escape helper.
import { describe, expect, it } from "vitest";
import { escapeMarkdown } from "@/lib/discord/markdown";
import { renderLogLine, renderTemplate, SAMPLE_VALUES } from "@/lib/notifications/templates";

const LINK = "[Verify here](https://evil.example/login)";
const ESCAPED_LINK = "\\[Verify here\\]\\(https://evil.example/login\\)";

describe("escapeMarkdown", () => {
  it("takes every Markdown character literally", () => {
    expect(escapeMarkdown(LINK)).toBe(ESCAPED_LINK);
    expect(escapeMarkdown("**bold** __u__ ~~s~~ ||spoiler|| `code` # h > q - l \\")).toBe(
      "\\*\\*bold\\*\\* \\_\\_u\\_\\_ \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\`code\\` \\# h \\> q \\- l \\\\",
    );
    expect(escapeMarkdown("Alex Applicant")).toBe("Alex Applicant");
  });
});

describe("Discord-bound text from users", () => {
  it("the log line escapes the applicant, form, reviewer and reason", () => {
    const line = renderLogLine("rejected", {
      ...SAMPLE_VALUES,
      applicant: LINK,
      form: "**Form**",
      reviewer: "`rev`",
      reason: "see [here](https://x.example)",
    });
    expect(line).toBe(
      `Application of ${ESCAPED_LINK} (\\*\\*Form\\*\\*) rejected by \\\`rev\\\`. Reason: see \\[here\\]\\(https://x.example\\)`,
    );
  });

  it("the DM escapes the values filled in, and keeps the organization's own template as written", () => {
    const text = renderTemplate({
      template: "Hi {applicant}, **welcome** to {server}.",
      event: "approved",
      values: { ...SAMPLE_VALUES, applicant: LINK, server: "__Srv__" },
    });
    expect(text).toBe(`Hi ${ESCAPED_LINK}, **welcome** to \\_\\_Srv\\_\\_.`);
  });
});
