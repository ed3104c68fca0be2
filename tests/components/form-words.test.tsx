// Every form explains a problem in words, beside the field, and moves focus to the first field at fault; limits
// show before they are hit; the token form starts over after creating a token (its scopes included).
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { ApplyForm, type ApplyQuestion } from "@/app/apply/[slug]/apply-form";
import { MembersManager, type MemberRow } from "@/components/settings/members-manager";
import { QuestionsEditor } from "@/components/settings/questions-editor";
import { TokensManager } from "@/components/tokens/tokens-manager";
import { ToastProvider } from "@/components/ui/toast";
import { server } from "~tests/msw/server";

const refresh = vi.fn();
const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh, push }) }));

const RAW = /Invalid input|Too small|Too big|expected .* received|snowflake|answers\./;

/** The control has focus and is described by a message containing `text`. */
function expectFocusedWith(control: HTMLElement, text: string | RegExp) {
  expect(document.activeElement).toBe(control);
  expect(control.getAttribute("aria-invalid")).toBe("true");
  const description = (control.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");
  if (typeof text === "string") expect(description).toContain(text);
  else expect(description).toMatch(text);
  expect(description).not.toMatch(RAW);
}

const questions: ApplyQuestion[] = [
  {
    id: "q1",
    label: "Your name in game",
    kind: "SHORT_TEXT",
    required: true,
    options: [],
    maxLength: null,
    helpText: null,
    minLength: null,
    minValue: null,
    maxValue: null,
  },
  {
    id: "q2",
    label: "Why join?",
    kind: "LONG_TEXT",
    required: true,
    options: [],
    maxLength: 50,
    helpText: null,
    minLength: null,
    minValue: null,
    maxValue: null,
  },
  {
    id: "q3",
    label: "Class",
    kind: "SINGLE_CHOICE",
    required: false,
    options: ["Mage", "Rogue"],
    maxLength: null,
    helpText: null,
    minLength: null,
    minValue: null,
    maxValue: null,
  },
];

describe("ApplyForm", () => {
  it("sent empty: focus on the first required question, every problem in words, nothing sent", async () => {
    let sent = 0;
    server.use(http.post("*/api/apply/acme", () => (sent++, HttpResponse.json({}, { status: 201 }))));
    render(<ApplyForm slug="acme" formSlug="apply" questions={questions} />);
    await userEvent.click(screen.getByRole("button", { name: "Send application" }));
    expectFocusedWith(screen.getByLabelText(/Your name in game/), "Answer this question: it is required.");
    expect(screen.getByLabelText(/Why join\?/).getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("alert").textContent).toBe(
      "2 answers need a change before you send: see the highlighted questions.",
    );
    expect(sent).toBe(0);
  });

  it("shows the limit while typing, before it is reached", async () => {
    render(<ApplyForm slug="acme" formSlug="apply" questions={questions} />);
    expect(screen.getByText("0 of 200 characters")).toBeTruthy();
    await userEvent.type(screen.getByLabelText(/Why join\?/), "x".repeat(46));
    const count = screen.getByText("46 of 50 characters");
    expect(count.getAttribute("aria-live")).toBe("polite");
    expect((screen.getByLabelText(/Why join\?/) as HTMLTextAreaElement).maxLength).toBe(50);
  });

  it("puts what the server still refuses beside its question, in the server's words, and focuses it", async () => {
    server.use(
      http.post("*/api/apply/acme", () =>
        HttpResponse.json(
          {
            error: {
              code: "validation_failed",
              message: "The request is not valid.",
              details: [{ path: "answers.q3", message: "Pick one of the offered options." }],
              requestId: "r",
            },
          },
          { status: 400 },
        ),
      ),
    );
    render(<ApplyForm slug="acme" formSlug="apply" questions={questions} />);
    await userEvent.type(screen.getByLabelText(/Your name in game/), "Ada");
    await userEvent.type(screen.getByLabelText(/Why join\?/), "Raids");
    await userEvent.click(screen.getByRole("button", { name: "Send application" }));
    await waitFor(() => expectFocusedWith(screen.getByLabelText(/Class/), "Pick one of the offered options."));
  });
});

const tokenRow = {
  id: "t1",
  name: "Site",
  prefix: "ggt_abcd",
  scopes: ["applications:write", "roles:assign"],
  createdAt: "2026-01-01T00:00:00Z",
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
};

describe("TokensManager", () => {
  it("asks for a name in words, focused; after creating, the scopes and name start over", async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post("*/api/orgs/acme/tokens", async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ token: { ...tokenRow, token: "ggt_secret" } }, { status: 201 });
      }),
    );
    render(
      <ToastProvider>
        <TokensManager slug="acme" initial={[]} now={Date.now()} />
      </ToastProvider>,
    );
    await userEvent.click(screen.getByRole("button", { name: "Create token" }));
    expectFocusedWith(screen.getByLabelText("Name"), /Give the token a name/);
    expect(bodies).toHaveLength(0);

    const write = screen.getByRole("checkbox", { name: /applications:write/ }) as HTMLInputElement;
    const assign = screen.getByRole("checkbox", { name: /roles:assign/ }) as HTMLInputElement;
    expect([write.checked, assign.checked]).toEqual([false, true]);
    await userEvent.type(screen.getByLabelText("Name"), "Site");
    await userEvent.click(write);
    await userEvent.click(screen.getByRole("button", { name: "Create token" }));
    await screen.findByTestId("new-token");
    expect(bodies).toEqual([{ name: "Site", scopes: ["roles:assign", "applications:write"], expiresInDays: 90 }]);
    expect([write.checked, assign.checked]).toEqual([false, true]);
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("");
  });

  it("without any scope, says to pick one and focuses the scopes", async () => {
    render(<TokensManager slug="acme" initial={[]} now={Date.now()} />);
    await userEvent.type(screen.getByLabelText("Name"), "Site");
    await userEvent.click(screen.getByRole("checkbox", { name: /roles:assign/ }));
    await userEvent.click(screen.getByRole("button", { name: "Create token" }));
    expect(document.activeElement).toBe(screen.getByRole("checkbox", { name: /applications:write/ }));
    expect(screen.getByText("Pick at least one scope: what this token may do.")).toBeTruthy();
  });
});

const member = (over: Partial<MemberRow>): MemberRow => ({
  userId: "u1",
  discordUserId: "80351110224678912",
  name: "Ada",
  role: "OWNER",
  since: "2026-01-01T00:00:00Z",
  ...over,
});

describe("MembersManager", () => {
  it("explains a name typed instead of an id, in words, focused, without calling the server", async () => {
    render(<MembersManager slug="acme" initial={[member({})]} currentUserId="u1" canManageOwners />);
    await userEvent.type(screen.getByLabelText("Discord user id"), "bob");
    await userEvent.click(screen.getByRole("button", { name: "Add member" }));
    expectFocusedWith(screen.getByLabelText("Discord user id"), /looks like a name.*17 to 20 digits.*Copy User ID/);
  });

  it("offers neither remove nor demote for the last owner, and says why", () => {
    render(
      <MembersManager
        slug="acme"
        initial={[member({}), member({ userId: "u2", discordUserId: "80351110224678913", name: "Bo", role: "ADMIN" })]}
        currentUserId="u2"
        canManageOwners
      />,
    );
    const ownerRow = screen.getByText("Ada").closest("tr")!;
    expect(within(ownerRow).queryByRole("button")).toBeNull();
    expect(within(ownerRow).queryByRole("combobox")).toBeNull();
    expect(within(ownerRow).getByText(/the only owner/)).toBeTruthy();
  });

  it("removing yourself is leaving, and says so", async () => {
    render(
      <MembersManager
        slug="acme"
        organizationName="Acme"
        initial={[member({}), member({ userId: "u2", discordUserId: "80351110224678913", name: "Bo", role: "OWNER" })]}
        currentUserId="u2"
        canManageOwners
      />,
    );
    await userEvent.click(screen.getByRole("button", { name: "Leave this organization" }));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByRole("heading").textContent).toBe("Leave Acme?");
    expect(dialog.textContent).toContain("You lose access");
    expect(dialog.textContent).not.toContain("They lose access");
  });
});

describe("QuestionsEditor", () => {
  it("a choice question with one choice: focus on Choices, told how many are needed", async () => {
    let sent = 0;
    server.use(http.post("*/api/orgs/acme/questions", () => (sent++, HttpResponse.json({}, { status: 201 }))));
    render(<QuestionsEditor slug="acme" initial={[]} />);
    await userEvent.click(screen.getByRole("button", { name: "Add a question" }));
    await userEvent.click(screen.getByRole("button", { name: "Save question" }));
    expectFocusedWith(screen.getByLabelText("Question"), "Write the question applicants should answer.");
    await userEvent.type(screen.getByLabelText("Question"), "Class?");
    await userEvent.selectOptions(screen.getByLabelText("Answer type"), "SINGLE_CHOICE");
    await userEvent.type(screen.getByLabelText("Choices"), "Mage");
    await userEvent.click(screen.getByRole("button", { name: "Save question" }));
    expectFocusedWith(screen.getByLabelText("Choices"), "Add at least two choices, one per line (now 1).");
    expect(sent).toBe(0);
  });

  it("names its Remove buttons so the visible word is part of the accessible name", () => {
    render(
      <QuestionsEditor
        slug="acme"
        initial={[{ id: "q1", label: "Why?", kind: "SHORT_TEXT", required: true, options: [], maxLength: null }]}
      />,
    );
    expect(screen.getByRole("button", { name: "Remove “Why?”" }).textContent).toBe("Remove");
  });
});

describe("MembersManager picking from the server", () => {
  it("finds people in the server by name and fills in the id of the one picked", async () => {
    server.use(
      http.get("*/api/orgs/acme/members/candidates", ({ request }) => {
        expect(new URL(request.url).searchParams.get("query")).toBe("ale");
        return HttpResponse.json({
          candidates: [{ discordUserId: "1200000000000000200", name: "Alex Applicant", username: "alex_applies" }],
        });
      }),
    );
    render(<MembersManager slug="acme" initial={[member({})]} currentUserId="u1" canManageOwners canPick />);
    await userEvent.type(screen.getByLabelText("Find someone in your server"), "ale");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    await userEvent.click(await screen.findByRole("button", { name: /Alex Applicant/ }));
    expect((screen.getByLabelText("Discord user id") as HTMLInputElement).value).toBe("1200000000000000200");
    expect(document.activeElement).toBe(screen.getByLabelText("Role"));
  });
});
