// The authorization matrix: every org-scoped route, called anonymously, as a non-member, as each role, and (for
// routes that take resource ids) with another organization's ids. One row per route and method; a new route adds
// a row. `allowed` lists the roles that must get a 2xx/3xx; every other role must get 403, a non-member 404
// (the organization is not revealed), no session 401, and another organization's ids 404. A `navigation` row (a
// link the browser follows) answers those denials with redirects instead: sign-in, or /dashboard?error=forbidden.
import { describe, expect, it } from "vitest";
import { addQuestion } from "~tests/helpers/applications";
import type { MemberRole } from "@/generated/prisma/enums";
import * as botConnect from "@/app/api/discord/bot-connect/route";
import * as applications from "@/app/api/orgs/[slug]/applications/route";
import * as application from "@/app/api/orgs/[slug]/applications/[applicationId]/route";
import * as reject from "@/app/api/orgs/[slug]/applications/[applicationId]/reject/route";
import * as approve from "@/app/api/orgs/[slug]/applications/[applicationId]/approve/route";
import * as retry from "@/app/api/orgs/[slug]/applications/[applicationId]/retry/route";
import * as audit from "@/app/api/orgs/[slug]/audit/route";
import * as bot from "@/app/api/orgs/[slug]/bot/route";
import * as botCredentials from "@/app/api/orgs/[slug]/bot/credentials/route";
import * as botHealth from "@/app/api/orgs/[slug]/bot/health/route";
import * as botRoles from "@/app/api/orgs/[slug]/bot/roles/route";
import * as applicantSettings from "@/app/api/orgs/[slug]/applicant-settings/route";
import * as applicantChannels from "@/app/api/orgs/[slug]/applicant-settings/channels/route";
import * as applicantInvite from "@/app/api/orgs/[slug]/applicant-settings/invite/route";
import { CREATE_INSTANT_INVITE } from "~tests/fakes/discord/invites";

import * as botReview from "@/app/api/orgs/[slug]/bot/review/route";
import * as members from "@/app/api/orgs/[slug]/members/route";
import * as memberCandidates from "@/app/api/orgs/[slug]/members/candidates/route";
import * as questions from "@/app/api/orgs/[slug]/questions/route";
import * as question from "@/app/api/orgs/[slug]/questions/[questionId]/route";
import * as applicationsExport from "@/app/api/orgs/[slug]/applications/export/route";
import * as webhooks from "@/app/api/orgs/[slug]/webhooks/route";
import * as webhook from "@/app/api/orgs/[slug]/webhooks/[endpointId]/route";
import * as webhookRotate from "@/app/api/orgs/[slug]/webhooks/[endpointId]/rotate-secret/route";
import * as webhookTest from "@/app/api/orgs/[slug]/webhooks/[endpointId]/test/route";
import * as webhookDeliveries from "@/app/api/orgs/[slug]/webhooks/[endpointId]/deliveries/route";
import * as webhookRedeliver from "@/app/api/orgs/[slug]/webhooks/[endpointId]/deliveries/[deliveryId]/redeliver/route";
import * as tokens from "@/app/api/orgs/[slug]/tokens/route";
import * as forms from "@/app/api/orgs/[slug]/forms/route";
import * as form from "@/app/api/orgs/[slug]/forms/[formSlug]/route";
import * as formRoleRule from "@/app/api/orgs/[slug]/forms/[formSlug]/role-rule/route";
import * as formQuestions from "@/app/api/orgs/[slug]/forms/[formSlug]/questions/route";
import * as formQuestion from "@/app/api/orgs/[slug]/forms/[formSlug]/questions/[questionId]/route";
import * as formQuestionOrder from "@/app/api/orgs/[slug]/forms/[formSlug]/questions/order/route";
import * as revoke from "@/app/api/orgs/[slug]/applications/[applicationId]/revoke/route";
import * as markHandled from "@/app/api/orgs/[slug]/applications/[applicationId]/mark-handled/route";
import * as resendMessage from "@/app/api/orgs/[slug]/applications/[applicationId]/messages/[messageId]/resend/route";
import * as bulk from "@/app/api/orgs/[slug]/applications/bulk/route";
import * as token from "@/app/api/orgs/[slug]/tokens/[id]/route";
import { storeToken } from "@/lib/crypto/token-vault";
import { db } from "@/lib/db";
import { createToken } from "@/lib/security/api-tokens";
import { type TestDiscordFake, useDiscordFake } from "~tests/fakes/discord";
import {
  addMember,
  createOrgWithMember,
  createTestOrganization,
  createUserWithSession,
  dashboardRequest,
  testSnowflake,
} from "~tests/helpers/auth";

const discord = useDiscordFake();

type Org = { id: string; slug: string };
/** What a row's builders see: the organization under test and a second one (for foreign ids). */
export type MatrixContext = { org: Org; other: Org; discord: TestDiscordFake; fixtures: Record<string, string> };
type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

export type MatrixRow = {
  method: string;
  /** The route file's exported handler for `method`. */
  handler: unknown;
  /** URL path (and query) of the call. */
  path: (c: MatrixContext) => string;
  /** Route params; default { slug }. */
  params?: (c: MatrixContext) => Record<string, string>;
  body?: (c: MatrixContext) => unknown;
  /** Data the call needs to succeed (in `org`, and in `other` for the foreign call); returns named ids. */
  setup?: (c: Omit<MatrixContext, "fixtures">) => Promise<Record<string, string>>;
  allowed: MemberRole[];
  /** A browser navigation: signed out -> /signin?next=<matching path>, any other denial -> /dashboard?error=forbidden. */
  navigation?: { signInNext: RegExp };
  /** The same call in `org` but naming a resource of `other` (made by the OWNER): must be 404. */
  foreign?: {
    path: (c: MatrixContext) => string;
    params?: (c: MatrixContext) => Record<string, string>;
    body?: (c: MatrixContext) => unknown;
  };
};

const ALL: MemberRole[] = ["OWNER", "ADMIN", "REVIEWER"];
const MANAGERS: MemberRole[] = ["OWNER", "ADMIN"];
const slugParams = (c: MatrixContext) => ({ slug: c.org.slug });
const orgPath = (suffix: string) => (c: MatrixContext) => `/api/orgs/${c.org.slug}${suffix}`;

async function connectGuild(orgId: string, guildId: string) {
  await db.discordConnection.create({
    data: {
      organizationId: orgId,
      state: "CONNECTED",
      guildId,
      guildName: "Guild",
      approvedRoleId: discord.world.roles.approved.id,
      approvedRoleName: "Approved",
    },
  });
}

async function pendingApplication(organizationId: string) {
  const row = await db.application.create({
    data: { organizationId, applicantName: "Alex", applicantDiscordId: testSnowflake() },
  });
  return row.id;
}

async function failedApplication(organizationId: string) {
  const row = await db.application.create({
    data: {
      organizationId,
      applicantName: "Alex",
      applicantDiscordId: testSnowflake(),
      status: "APPROVED_ROLE_FAILED",
      roleAssignmentStatus: "FAILED",
    },
  });
  return row.id;
}

/** A rejected application whose DM Discord refused (DMs closed): resendable. */
async function failedMessage(organizationId: string) {
  const applicationId = await failedApplication(organizationId);
  const message = await db.applicantMessage.create({
    data: { organizationId, applicationId, target: "dm", event: "rejected", content: "No", status: "NOT_DELIVERED" },
  });
  return { applicationId, messageId: message.id };
}

async function ownQuestion(organizationId: string) {
  const row = await addQuestion({ organizationId, label: "Why?", kind: "SHORT_TEXT", position: 0 });
  return row.id;
}

async function assignedApplication(organizationId: string) {
  const row = await db.application.create({
    data: {
      organizationId,
      applicantName: "Alex",
      applicantDiscordId: testSnowflake(),
      status: "APPROVED_ROLE_ASSIGNED",
      roleAssignmentStatus: "SUCCESS",
    },
  });
  return row.id;
}

/** A form "team" in `org` (with a question) and "elsewhere" in `other`: the foreign call names the latter. */
async function teamForms({ org, other }: { org: Org; other: Org }) {
  const team = await db.applicationForm.create({ data: { organizationId: org.id, slug: "team", name: "Team" } });
  await db.applicationForm.create({ data: { organizationId: other.id, slug: "elsewhere", name: "Elsewhere" } });
  const question = await addQuestion({ organizationId: org.id, formId: team.id });
  return { question: question.id };
}

/** A row on a form of `org` (`/forms/team...`); its foreign twin names `other`'s form. */
function formRoute(
  method: string,
  handler: unknown,
  suffix: string,
  body?: (c: MatrixContext) => unknown,
  extra: (c: MatrixContext) => Record<string, string> = () => ({}),
): MatrixRow {
  const at = (c: MatrixContext, formSlug: string) =>
    `/api/orgs/${c.org.slug}/forms/${formSlug}${suffix.replace("{question}", c.fixtures.question ?? "")}`;
  return {
    method,
    handler,
    path: (c) => at(c, "team"),
    params: (c) => ({ slug: c.org.slug, formSlug: "team", ...extra(c) }),
    setup: teamForms,
    body,
    allowed: MANAGERS,
    foreign: {
      path: (c) => at(c, "elsewhere"),
      params: (c) => ({ slug: c.org.slug, formSlug: "elsewhere", ...extra(c) }),
      body,
    },
  };
}

async function apiToken(organizationId: string) {
  return (await createToken({ organizationId, createdById: null, name: "ci", scopes: ["applications:read"] })).id;
}

/** A route on one application of `org`; the foreign call names an application of `other`, made the same way. */
function applicationRoute(
  method: string,
  handler: unknown,
  suffix: string,
  make: (organizationId: string) => Promise<string>,
): MatrixRow {
  const at = (c: MatrixContext, id: string) => `/api/orgs/${c.org.slug}/applications/${id}${suffix}`;
  return {
    method,
    handler,
    path: (c) => at(c, c.fixtures.application!),
    params: (c) => ({ slug: c.org.slug, applicationId: c.fixtures.application! }),
    setup: async ({ org, other }) => ({ application: await make(org.id), foreignApplication: await make(other.id) }),
    allowed: ALL,
    foreign: {
      path: (c) => at(c, c.fixtures.foreignApplication!),
      params: (c) => ({ slug: c.org.slug, applicationId: c.fixtures.foreignApplication! }),
    },
  };
}
async function ownEndpoint(organizationId: string) {
  const row = await db.webhookEndpoint.create({
    data: { organizationId, url: "https://hooks.example.com/in", eventTypes: ["application.approved"] },
  });
  return row.id;
}

/** A failed delivery of `organizationId`'s endpoint (redeliverable). */
async function failedDelivery(organizationId: string) {
  const endpointId = await ownEndpoint(organizationId);
  const event = await db.webhookEvent.create({
    data: { organizationId, type: "application.approved", payload: { type: "application.approved" } },
  });
  const delivery = await db.webhookDelivery.create({
    data: { organizationId, endpointId, eventId: event.id, status: "FAILED", attempts: 8 },
  });
  return { endpointId, deliveryId: delivery.id };
}

/** A route on one webhook endpoint of `org`; the foreign call names an endpoint of `other`. */
function endpointRoute(method: string, handler: unknown, suffix: string, body?: () => unknown): MatrixRow {
  const at = (c: MatrixContext, id: string) => `/api/orgs/${c.org.slug}/webhooks/${id}${suffix}`;
  return {
    method,
    handler,
    body,
    path: (c) => at(c, c.fixtures.endpoint!),
    params: (c) => ({ slug: c.org.slug, endpointId: c.fixtures.endpoint! }),
    setup: async ({ org, other }) => ({
      endpoint: await ownEndpoint(org.id),
      foreignEndpoint: await ownEndpoint(other.id),
    }),
    allowed: MANAGERS,
    foreign: {
      path: (c) => at(c, c.fixtures.foreignEndpoint!),
      params: (c) => ({ slug: c.org.slug, endpointId: c.fixtures.foreignEndpoint! }),
      body,
    },
  };
}

export const ROWS: MatrixRow[] = [
  {
    method: "GET",
    handler: applicationsExport.GET,
    path: orgPath("/applications/export?status=PENDING&q=a"),
    allowed: ALL,
  },
  { method: "GET", handler: webhooks.GET, path: orgPath("/webhooks"), allowed: MANAGERS },
  {
    method: "POST",
    handler: webhooks.POST,
    path: orgPath("/webhooks"),
    body: () => ({ url: "https://hooks.example.com/in", description: "CRM", eventTypes: ["application.approved"] }),
    allowed: MANAGERS,
  },
  endpointRoute("GET", webhook.GET, ""),
  endpointRoute("PATCH", webhook.PATCH, "", () => ({ description: "renamed", enabled: true })),
  endpointRoute("DELETE", webhook.DELETE, ""),
  endpointRoute("POST", webhookRotate.POST, "/rotate-secret"),
  endpointRoute("POST", webhookTest.POST, "/test"),
  endpointRoute("GET", webhookDeliveries.GET, "/deliveries"),
  {
    method: "POST",
    handler: webhookRedeliver.POST,
    path: (c) => `/api/orgs/${c.org.slug}/webhooks/${c.fixtures.endpoint}/deliveries/${c.fixtures.delivery}/redeliver`,
    params: (c) => ({ slug: c.org.slug, endpointId: c.fixtures.endpoint!, deliveryId: c.fixtures.delivery! }),
    setup: async ({ org, other }) => {
      const own = await failedDelivery(org.id);
      const foreign = await failedDelivery(other.id);
      return {
        endpoint: own.endpointId,
        delivery: own.deliveryId,
        foreignEndpoint: foreign.endpointId,
        foreignDelivery: foreign.deliveryId,
      };
    },
    allowed: MANAGERS,
    foreign: {
      path: (c) =>
        `/api/orgs/${c.org.slug}/webhooks/${c.fixtures.foreignEndpoint}/deliveries/${c.fixtures.foreignDelivery}/redeliver`,
      params: (c) => ({
        slug: c.org.slug,
        endpointId: c.fixtures.foreignEndpoint!,
        deliveryId: c.fixtures.foreignDelivery!,
      }),
    },
  },
  { method: "GET", handler: members.GET, path: orgPath("/members"), allowed: ALL },
  {
    method: "POST",
    handler: members.POST,
    path: orgPath("/members"),
    body: () => ({ discordUserId: testSnowflake(), role: "REVIEWER" }),
    allowed: MANAGERS,
  },
  {
    method: "PATCH",
    handler: members.PATCH,
    path: orgPath("/members"),
    setup: async ({ org, other }) => {
      const target = await createUserWithSession();
      await addMember({ userId: target.user.id, organizationId: org.id, role: "REVIEWER" });
      const foreign = await createUserWithSession();
      await addMember({ userId: foreign.user.id, organizationId: other.id, role: "REVIEWER" });
      return { member: target.user.discordUserId, foreignMember: foreign.user.discordUserId };
    },
    body: (c) => ({ discordUserId: c.fixtures.member, role: "ADMIN" }),
    allowed: MANAGERS,
    foreign: { path: orgPath("/members"), body: (c) => ({ discordUserId: c.fixtures.foreignMember, role: "ADMIN" }) },
  },
  {
    method: "DELETE",
    handler: members.DELETE,
    path: (c) => `/api/orgs/${c.org.slug}/members?discordUserId=${c.fixtures.member}`,
    setup: async ({ org, other }) => {
      const target = await createUserWithSession();
      await addMember({ userId: target.user.id, organizationId: org.id, role: "REVIEWER" });
      const foreign = await createUserWithSession();
      await addMember({ userId: foreign.user.id, organizationId: other.id, role: "REVIEWER" });
      return { member: target.user.discordUserId, foreignMember: foreign.user.discordUserId };
    },
    allowed: MANAGERS,
    foreign: { path: (c) => `/api/orgs/${c.org.slug}/members?discordUserId=${c.fixtures.foreignMember}` },
  },
  {
    method: "GET",
    handler: memberCandidates.GET,
    path: orgPath("/members/candidates?query=alex"),
    setup: async ({ org }) => {
      await connectGuild(org.id, discord.world.guild.id);
      return {};
    },
    allowed: MANAGERS,
  },
  { method: "GET", handler: bot.GET, path: orgPath("/bot"), allowed: ALL },
  {
    method: "DELETE",
    handler: bot.DELETE,
    path: orgPath("/bot"),
    setup: async ({ org }) => {
      await connectGuild(org.id, discord.world.guild.id);
      return {};
    },
    allowed: MANAGERS,
  },
  { method: "GET", handler: botHealth.GET, path: orgPath("/bot/health"), allowed: MANAGERS },
  // Applicant settings (issue 14): ADMIN and up.
  { method: "GET", handler: applicantSettings.GET, path: orgPath("/applicant-settings"), allowed: MANAGERS },
  {
    method: "PUT",
    handler: applicantSettings.PUT,
    path: orgPath("/applicant-settings"),
    body: () => ({ rejectReasonRequired: true, rejectTemplate: "Sorry {applicant}: {reason}" }),
    allowed: MANAGERS,
  },
  {
    method: "GET",
    handler: applicantChannels.GET,
    path: orgPath("/applicant-settings/channels"),
    setup: async ({ org }) => {
      await connectGuild(org.id, discord.world.guild.id);
      return {};
    },
    allowed: MANAGERS,
  },
  {
    method: "POST",
    handler: applicantInvite.POST,
    path: orgPath("/applicant-settings/invite"),
    body: () => ({ channelId: discord.world.channels.general.id }),
    setup: async ({ org }) => {
      await connectGuild(org.id, discord.world.guild.id);
      const role = discord.model.addRole(discord.world.guild.id, {
        name: "invites",
        permissions: CREATE_INSTANT_INVITE,
      });
      discord.world.guild.members.get(discord.world.platform.botUserId)!.roleIds.add(role.id);
      return {};
    },
    allowed: MANAGERS,
  },
  {
    method: "GET",
    handler: botRoles.GET,
    path: orgPath("/bot/roles"),
    setup: async ({ org }) => {
      await connectGuild(org.id, discord.world.guild.id);
      return {};
    },
    allowed: MANAGERS,
  },
  {
    method: "GET",
    handler: botReview.GET,
    path: orgPath("/bot/review"),
    setup: async ({ org }) => {
      await connectGuild(org.id, discord.world.guild.id);
      return {};
    },
    allowed: MANAGERS,
  },
  {
    method: "PUT",
    handler: botReview.PUT,
    path: orgPath("/bot/review"),
    setup: async ({ org }) => {
      await connectGuild(org.id, discord.world.guild.id);
      return {};
    },
    body: (c) => ({ reviewChannelId: c.discord.world.channels.general.id, reviewerRoleIds: [] }),
    allowed: MANAGERS,
  },
  {
    method: "PUT",
    handler: botRoles.PUT,
    path: orgPath("/bot/roles"),
    setup: async ({ org }) => {
      await connectGuild(org.id, discord.world.guild.id);
      return {};
    },
    body: (c) => ({ approvedRoleId: c.discord.world.roles.member.id, assignableRoleIds: [] }),
    allowed: MANAGERS,
  },
  {
    method: "PUT",
    handler: botCredentials.PUT,
    path: orgPath("/bot/credentials"),
    body: (c) => ({
      applicationId: c.discord.world.tenantApplication.id,
      clientSecret: c.discord.world.tenantApplication.secret,
      botToken: c.discord.world.tenantApplication.botToken,
    }),
    allowed: MANAGERS,
  },
  {
    method: "DELETE",
    handler: botCredentials.DELETE,
    path: orgPath("/bot/credentials"),
    setup: async ({ org }) => {
      await db.organization.update({
        where: { id: org.id },
        data: { botApplicationId: discord.world.tenantApplication.id },
      });
      await storeToken({
        organizationId: org.id,
        provider: "DISCORD_BOT",
        tokenType: "BOT_TOKEN",
        value: discord.world.tenantApplication.botToken,
      });
      return {};
    },
    allowed: MANAGERS,
  },
  {
    method: "GET",
    handler: botConnect.GET,
    path: (c) => `/api/discord/bot-connect?org=${c.org.slug}`,
    params: () => ({}),
    allowed: MANAGERS,
    navigation: { signInNext: /^\/dashboard\/org-[^/]+\/settings$/ },
  },
  { method: "GET", handler: audit.GET, path: orgPath("/audit"), allowed: MANAGERS },
  { method: "GET", handler: questions.GET, path: orgPath("/questions"), allowed: MANAGERS },
  {
    method: "POST",
    handler: questions.POST,
    path: orgPath("/questions"),
    body: () => ({ label: "Favourite game?", kind: "SHORT_TEXT" }),
    allowed: MANAGERS,
  },
  {
    method: "PUT",
    handler: question.PUT,
    path: (c) => `/api/orgs/${c.org.slug}/questions/${c.fixtures.question}`,
    params: (c) => ({ slug: c.org.slug, questionId: c.fixtures.question! }),
    setup: async ({ org, other }) => ({
      question: await ownQuestion(org.id),
      foreignQuestion: await ownQuestion(other.id),
    }),
    body: () => ({ label: "Why join?", kind: "LONG_TEXT" }),
    allowed: MANAGERS,
    foreign: {
      path: (c) => `/api/orgs/${c.org.slug}/questions/${c.fixtures.foreignQuestion}`,
      params: (c) => ({ slug: c.org.slug, questionId: c.fixtures.foreignQuestion! }),
      body: () => ({ label: "Why join?", kind: "LONG_TEXT" }),
    },
  },
  {
    method: "DELETE",
    handler: question.DELETE,
    path: (c) => `/api/orgs/${c.org.slug}/questions/${c.fixtures.question}`,
    params: (c) => ({ slug: c.org.slug, questionId: c.fixtures.question! }),
    setup: async ({ org, other }) => ({
      question: await ownQuestion(org.id),
      foreignQuestion: await ownQuestion(other.id),
    }),
    allowed: MANAGERS,
    foreign: {
      path: (c) => `/api/orgs/${c.org.slug}/questions/${c.fixtures.foreignQuestion}`,
      params: (c) => ({ slug: c.org.slug, questionId: c.fixtures.foreignQuestion! }),
    },
  },
  { method: "GET", handler: applications.GET, path: orgPath("/applications"), allowed: ALL },
  applicationRoute("GET", application.GET, "", pendingApplication),
  applicationRoute("POST", reject.POST, "/reject", pendingApplication),
  applicationRoute("POST", approve.POST, "/approve", pendingApplication),
  applicationRoute("POST", retry.POST, "/retry", failedApplication),
  applicationRoute("POST", markHandled.POST, "/mark-handled", failedApplication),
  {
    method: "POST",
    handler: resendMessage.POST,
    path: (c) => `/api/orgs/${c.org.slug}/applications/${c.fixtures.application}/messages/${c.fixtures.message}/resend`,
    params: (c) => ({ slug: c.org.slug, applicationId: c.fixtures.application!, messageId: c.fixtures.message! }),
    setup: async ({ org, other }) => {
      const own = await failedMessage(org.id);
      const foreign = await failedMessage(other.id);
      return {
        application: own.applicationId,
        message: own.messageId,
        foreignApplication: foreign.applicationId,
        foreignMessage: foreign.messageId,
      };
    },
    allowed: ALL,
    foreign: {
      path: (c) =>
        `/api/orgs/${c.org.slug}/applications/${c.fixtures.foreignApplication}/messages/${c.fixtures.foreignMessage}/resend`,
      params: (c) => ({
        slug: c.org.slug,
        applicationId: c.fixtures.foreignApplication!,
        messageId: c.fixtures.foreignMessage!,
      }),
    },
  },
  {
    ...applicationRoute("POST", revoke.POST, "/revoke", assignedApplication),
    body: () => ({ reason: "Left the community" }),
  },
  {
    method: "POST",
    handler: bulk.POST,
    path: orgPath("/applications/bulk"),
    setup: async ({ org }) => ({ application: await pendingApplication(org.id) }),
    body: (c) => ({ action: "reject", applicationIds: [c.fixtures.application] }),
    allowed: ALL,
  },
  { method: "GET", handler: forms.GET, path: orgPath("/forms"), allowed: MANAGERS },
  {
    method: "POST",
    handler: forms.POST,
    path: orgPath("/forms"),
    body: () => ({ name: "Staff", slug: "staff" }),
    allowed: MANAGERS,
  },
  formRoute("GET", form.GET, ""),
  formRoute("PATCH", form.PATCH, "", () => ({ isOpen: false })),
  formRoute("PUT", formRoleRule.PUT, "/role-rule", () => ({
    approveAddRoleIds: [],
    approveRemoveRoleIds: [],
    rejectAddRoleId: null,
  })),
  formRoute("GET", formQuestions.GET, "/questions"),
  formRoute("POST", formQuestions.POST, "/questions", () => ({ label: "Age", kind: "NUMBER", min: 13 })),
  formRoute(
    "PUT",
    formQuestion.PUT,
    "/questions/{question}",
    () => ({ label: "Why join?", kind: "LONG_TEXT" }),
    (c) => ({ questionId: c.fixtures.question! }),
  ),
  formRoute("DELETE", formQuestion.DELETE, "/questions/{question}", undefined, (c) => ({
    questionId: c.fixtures.question!,
  })),
  formRoute("PUT", formQuestionOrder.PUT, "/questions/order", (c) => ({ questionIds: [c.fixtures.question] })),
  { method: "GET", handler: tokens.GET, path: orgPath("/tokens"), allowed: MANAGERS },
  {
    method: "POST",
    handler: tokens.POST,
    path: orgPath("/tokens"),
    body: () => ({ name: "ci", scopes: ["applications:read"] }),
    allowed: MANAGERS,
  },
  {
    method: "DELETE",
    handler: token.DELETE,
    path: (c) => `/api/orgs/${c.org.slug}/tokens/${c.fixtures.token}`,
    params: (c) => ({ slug: c.org.slug, id: c.fixtures.token! }),
    setup: async ({ org, other }) => ({ token: await apiToken(org.id), foreignToken: await apiToken(other.id) }),
    allowed: MANAGERS,
    foreign: {
      path: (c) => `/api/orgs/${c.org.slug}/tokens/${c.fixtures.foreignToken}`,
      params: (c) => ({ slug: c.org.slug, id: c.fixtures.foreignToken! }),
    },
  },
];

type Caller = "anonymous" | "non-member" | MemberRole;

async function call(row: MatrixRow, caller: Caller, foreign = false) {
  const orgRole: MemberRole = caller === "anonymous" || caller === "non-member" ? "OWNER" : caller;
  const { organization, cookie: memberCookie } = await createOrgWithMember(orgRole);
  const other = await createTestOrganization();
  const base = { org: organization, other, discord };
  const c: MatrixContext = { ...base, fixtures: (await row.setup?.(base)) ?? {} };
  let cookie: string | undefined = memberCookie;
  if (caller === "anonymous") cookie = undefined;
  if (caller === "non-member") {
    // A real admin, just of another organization.
    const outsider = await createUserWithSession();
    await addMember({ userId: outsider.user.id, organizationId: other.id, role: "OWNER" });
    cookie = outsider.cookie;
  }
  const shape = foreign && row.foreign ? row.foreign : row;
  const body = (shape.body ?? (foreign ? row.body : undefined))?.(c);
  const request = dashboardRequest(row.method, shape.path(c), { cookie, body });
  const params = (shape.params ?? row.params ?? slugParams)(c);
  return (row.handler as Handler)(request, { params: Promise.resolve(params as never) });
}

const expectedStatus = (row: MatrixRow, role: MemberRole) => (row.allowed.includes(role) ? "allowed" : 403);

/** A denial: the status for API rows; for navigation rows, the redirect the browser gets instead. */
function expectDenied(row: MatrixRow, response: Response, status: 401 | 403 | 404) {
  if (!row.navigation) return expect(response.status).toBe(status);
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get("location")!);
  if (status === 401) {
    expect(location.pathname).toBe("/signin");
    expect(location.searchParams.get("next")).toMatch(row.navigation.signInNext);
  } else {
    expect(location.pathname + location.search).toBe("/dashboard?error=forbidden");
  }
}

describe.each(
  ROWS.map((row) => ({
    ...row,
    name: `${row.method} ${row.path({ org: { id: "", slug: "[slug]" }, other: { id: "", slug: "" }, discord, fixtures: {} }).replace(/\/(undefined)/g, "/[id]")}`,
  })),
)("$name", (row) => {
  it("answers 401 without a session", async () => {
    expectDenied(row, await call(row, "anonymous"), 401);
  });
  it("answers 404 to a non-member", async () => {
    expectDenied(row, await call(row, "non-member"), 404);
  });
  it.each(ALL)("as %s", async (role) => {
    const response = await call(row, role);
    if (expectedStatus(row, role) === 403) {
      expectDenied(row, response, 403);
    } else {
      expect(response.status, await response.clone().text()).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(400);
      if (row.navigation) expect(response.headers.get("location")).not.toMatch(/\/signin\?|[?&]error=/);
    }
  });
  if (row.foreign) {
    it("answers 404 for another organization's ids", async () => {
      expectDenied(row, await call(row, "OWNER", true), 404);
    });
  }
});
