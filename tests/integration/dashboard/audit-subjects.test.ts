// The log says whom an entry is about: names resolved per page of entries, only within the organization.
import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { addQuestion } from "~tests/helpers/applications";
import { resolveAuditSubjects } from "@/lib/dashboard/audit-subjects";
import { createOrgWithMember, createTestOrganization, testSnowflake } from "~tests/helpers/auth";

it("names applicants, members, tokens, questions and API role grantees, and nothing of another organization", async () => {
  const { organization, user } = await createOrgWithMember("OWNER");
  const other = await createTestOrganization();
  const discordId = testSnowflake();
  const application = await db.application.create({
    data: { organizationId: organization.id, applicantName: "Alex", applicantDiscordId: discordId },
  });
  const foreign = await db.application.create({
    data: { organizationId: other.id, applicantName: "Secret", applicantDiscordId: testSnowflake() },
  });
  const token = await db.apiToken.create({
    data: { organizationId: organization.id, name: "CI", prefix: "ggt_abcd", tokenHash: "h".repeat(64), scopes: [] },
  });
  const question = await addQuestion({
    organizationId: organization.id,
    label: "Why?",
    kind: "SHORT_TEXT",
    position: 0,
  });
  const subjects = await resolveAuditSubjects({
    organizationId: organization.id,
    entries: [
      { targetType: "application", targetId: application.id },
      { targetType: "application", targetId: foreign.id },
      { targetType: "user", targetId: user.id },
      { targetType: "api_token", targetId: token.id },
      { targetType: "question", targetId: question.id },
      { targetType: "discord_member", targetId: discordId },
      { targetType: "application", targetId: "not-a-uuid" },
    ],
  });
  expect(subjects).toEqual({
    [`application:${application.id}`]: "Alex",
    [`user:${user.id}`]: user.name,
    [`api_token:${token.id}`]: "“CI”",
    [`question:${question.id}`]: "“Why?”",
    [`discord_member:${discordId}`]: "Alex",
  });
});
