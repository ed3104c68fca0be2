// The nonce our message jobs send: stable for one message, distinct between messages and kinds, and within what
// Discord's OpenAPI description allows for a Create Message body.
import { describe, expect, it } from "vitest";
import { idempotentMessageFields, MESSAGE_NONCE_MAX_LENGTH, messageNonce } from "@/lib/discord/message-nonce";
import { messageBody } from "@/lib/notifications/sender";
import { loadDiscordSpec, validate } from "~tests/fakes/discord/openapi-check";

const spec = loadDiscordSpec();
const MESSAGE_CREATE_REQUEST = { $ref: "#/components/schemas/MessageCreateRequest" };
const ID = "5d0c7bde-2f54-4a4c-9f0a-2b7f1b0e8c11";

describe("messageNonce", () => {
  it("is the same for the same message on every run, and differs by id and by kind", () => {
    const nonce = messageNonce({ kind: "review-post", id: ID });
    expect(messageNonce({ kind: "review-post", id: ID })).toBe(nonce);
    expect(messageNonce({ kind: "applicant-message", id: ID })).not.toBe(nonce);
    expect(messageNonce({ kind: "review-post", id: ID.replace(/1$/, "2") })).not.toBe(nonce);
  });

  it("fits Discord's string nonce (25 characters at most) in URL-safe characters", () => {
    const nonce = messageNonce({ kind: "applicant-message", id: ID });
    expect(nonce.length).toBeLessThanOrEqual(MESSAGE_NONCE_MAX_LENGTH);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it("the bodies the jobs send match the spec's MessageCreateRequest, nonce and enforce_nonce included", () => {
    const fields = idempotentMessageFields({ kind: "review-post", id: ID });
    expect(fields).toEqual({ nonce: messageNonce({ kind: "review-post", id: ID }), enforce_nonce: true });
    expect(validate(spec, MESSAGE_CREATE_REQUEST, { embeds: [{ title: "New application" }], ...fields })).toEqual([]);
    const dm = messageBody({ content: "Welcome", nonce: messageNonce({ kind: "applicant-message", id: ID }) });
    expect(validate(spec, MESSAGE_CREATE_REQUEST, dm)).toEqual([]);
    // The checker would notice a nonce past Discord's limit.
    expect(validate(spec, MESSAGE_CREATE_REQUEST, { ...dm, nonce: "x".repeat(26) })).not.toEqual([]);
  });
});
