// The pure parts of review in Discord: Ed25519 verification (RFC 8032's test vector, so node:crypto's answer is
// checked against the standard, not against itself), custom_id parsing, and the message cut to Discord's limits.
import { verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ed25519PublicKey, MAX_INTERACTION_AGE_S, verifyInteraction } from "@/lib/discord-review/verify";
import { parseReviewCustomId, reviewCustomId } from "@/lib/review-channel/custom-id";
import { EMBED_LIMITS, renderReviewMessage, type ReviewMessageView } from "@/lib/review-channel/render";
import { fakeApplicationKeys, signInteraction } from "~tests/fakes/discord/interactions";

// RFC 8032 section 7.1, TEST 2: a one-byte message 0x72 ("r").
const RFC_PUBLIC = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
const RFC_SIGNATURE =
  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

describe("verifyInteraction", () => {
  const now = new Date();
  it("wraps a raw public key so node:crypto verifies RFC 8032's signature, and only that one", () => {
    const key = ed25519PublicKey(RFC_PUBLIC);
    expect(verify(null, Buffer.from("72", "hex"), key, Buffer.from(RFC_SIGNATURE, "hex"))).toBe(true);
    expect(verify(null, Buffer.from("73", "hex"), key, Buffer.from(RFC_SIGNATURE, "hex"))).toBe(false);
  });

  it("accepts Discord's construction (timestamp + body) and refuses a changed body, timestamp or key", () => {
    const keys = fakeApplicationKeys("1100000000000000001");
    const ts = Math.floor(now.getTime() / 1000);
    const body = '{"type":1}';
    const h = signInteraction(body, ts, keys.privateKey);
    const base = {
      publicKeyHex: keys.publicKeyHex,
      signature: h["X-Signature-Ed25519"]!,
      timestamp: h["X-Signature-Timestamp"]!,
      now,
    };
    expect(verifyInteraction({ ...base, rawBody: body })).toEqual({ ok: true });
    expect(verifyInteraction({ ...base, rawBody: '{"type":2}' })).toMatchObject({ ok: false, reason: "invalid" });
    expect(verifyInteraction({ ...base, timestamp: String(ts + 1), rawBody: body })).toMatchObject({ ok: false });
    expect(verifyInteraction({ ...base, publicKeyHex: RFC_PUBLIC, rawBody: body })).toMatchObject({
      reason: "invalid",
    });
    expect(verifyInteraction({ ...base, signature: "zz", rawBody: body })).toMatchObject({ reason: "malformed" });
    expect(verifyInteraction({ ...base, signature: null, rawBody: body })).toMatchObject({ reason: "missing" });
  });

  it("refuses a correctly signed request older or further ahead than five minutes", () => {
    const keys = fakeApplicationKeys("1100000000000000001");
    const body = "{}";
    for (const offset of [-(MAX_INTERACTION_AGE_S + 5), MAX_INTERACTION_AGE_S + 5]) {
      const ts = Math.floor(now.getTime() / 1000) + offset;
      const h = signInteraction(body, ts, keys.privateKey);
      expect(
        verifyInteraction({
          publicKeyHex: keys.publicKeyHex,
          signature: h["X-Signature-Ed25519"]!,
          timestamp: h["X-Signature-Timestamp"]!,
          rawBody: body,
          now,
        }),
      ).toEqual({ ok: false, reason: "stale" });
    }
  });
});

describe("custom_id", () => {
  const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  it("round-trips and carries nothing but the verb and the application id", () => {
    expect(reviewCustomId("approve", id)).toBe(`gg:approve:${id}`);
    expect(parseReviewCustomId(`gg:reject:${id}`)).toEqual({ action: "reject", applicationId: id });
  });
  it.each([
    `gg:approve:${id}:x`,
    `gg:drop:${id}`,
    "gg:approve:1234",
    `xx:approve:${id}`,
    "",
    42,
    `gg:approve:${id}`.repeat(3),
  ])("refuses %s", (value) => expect(parseReviewCustomId(value)).toBeNull());
});

function view(overrides: Partial<ReviewMessageView> = {}): ReviewMessageView {
  return {
    applicationId: "0f8fad5b-d9cb-469f-a165-70867728950e",
    dashboardUrl: "http://localhost:3000/dashboard/acme/applications/0f8fad5b-d9cb-469f-a165-70867728950e",
    applicantDiscordId: "1200000000000000200",
    applicantName: "Alex",
    formName: "Apply",
    answers: [{ label: "Why?", value: "Because." }],
    submittedAt: new Date("2026-11-01T00:00:00Z"),
    status: "PENDING",
    roleAssignmentStatus: "NOT_APPLICABLE",
    roleErrorMessage: null,
    decidedBy: null,
    decidedAt: null,
    reason: null,
    now: new Date("2026-11-29T00:00:00Z"),
    ...overrides,
  };
}

function size(embed: {
  title?: string;
  description?: string;
  footer?: { text: string };
  fields?: { name: string; value: string }[];
}) {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

describe("renderReviewMessage", () => {
  it("stays inside every embed limit however long the application is, and says where the rest is", () => {
    const long = "x".repeat(3000);
    const message = renderReviewMessage(
      view({
        applicantName: "N".repeat(400),
        formName: "F".repeat(300),
        answers: Array.from({ length: 30 }, (_, i) => ({ label: `${"L".repeat(300)}${i}`, value: long })),
        status: "REJECTED",
        decidedBy: { name: "Dana", discordUserId: "1200000000000000100" },
        decidedAt: new Date(),
        reason: "r".repeat(2000),
      }),
    );
    const [embed] = message.embeds;
    expect(embed!.title!.length).toBeLessThanOrEqual(EMBED_LIMITS.title);
    expect(embed!.description!.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(embed!.fields!.length).toBeLessThanOrEqual(EMBED_LIMITS.fields);
    for (const f of embed!.fields!) {
      expect(f.name.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
    }
    expect(size(embed!)).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect(embed!.description).toContain("Full application: http://localhost:3000/dashboard/acme/");
    expect(embed!.fields!.map((f) => f.name)).toEqual(expect.arrayContaining(["Decision", "Reason"]));
  });

  it("has Approve and Reject while pending, and only the dashboard link once decided", () => {
    const pending = renderReviewMessage(view());
    expect(pending.components[0]!.components.map((c) => ("label" in c ? c.label : undefined))).toEqual([
      "Approve",
      "Reject",
      "Open in Guildgate",
    ]);
    const decided = renderReviewMessage(
      view({
        status: "APPROVED_ROLE_FAILED",
        roleAssignmentStatus: "FAILED",
        roleErrorMessage: "The bot may not give this role.",
      }),
    );
    expect(decided.components[0]!.components.map((c) => ("label" in c ? c.label : undefined))).toEqual([
      "Open in Guildgate",
    ]);
    expect(decided.embeds[0]!.fields!.find((f) => f.name === "Role problem")?.value).toBe(
      "The bot may not give this role.",
    );
    expect(decided.allowed_mentions).toEqual({ parse: [] });
  });

  it("escapes Markdown in applicant text and says the account's age", () => {
    const message = renderReviewMessage(view({ answers: [{ label: "Site", value: "**bold** [x](http://evil)" }] }));
    expect(message.embeds[0]!.fields![0]!.value).toBe("\\*\\*bold\\*\\* \\[x\\]\\(http://evil\\)");
    expect(message.embeds[0]!.description).toMatch(/Discord account:\*\* \d+ (years|months|days) old/);
  });
});
