// Per-address limits on sign-in and apply, per-user organization creation, per-organization bot reads (cached),
// and the shares of Discord's invalid-request budget: each refusal is a 429 with Retry-After that says whose limit
// was hit, and nobody else is affected. The counts live in PostgreSQL (shared by every process: see
// tests/integration/limits/two-processes.test.ts).
import { afterEach, describe, expect, it } from "vitest";
import { POST as submit } from "@/app/api/apply/[slug]/route";
import { GET as applyLogin } from "@/app/api/apply/[slug]/login/route";
import { GET as applyCallback } from "@/app/api/apply/callback/route";
import { GET as signInCallback } from "@/app/api/auth/discord/callback/route";
import { GET as signInLogin } from "@/app/api/auth/discord/login/route";
import { POST as createOrg } from "@/app/api/orgs/route";
import { PUT as putCredentials } from "@/app/api/orgs/[slug]/bot/credentials/route";
import { GET as health } from "@/app/api/orgs/[slug]/bot/health/route";
import { GET as roles } from "@/app/api/orgs/[slug]/bot/roles/route";
import { db } from "@/lib/db";
import { applyRedirectUri } from "@/lib/applications/intake/applicant-auth";
import { loginRedirectUri } from "@/lib/security/discord-sign-in";
import { useDiscordFake } from "~tests/fakes/discord";
import {
  createOrgWithMember,
  createUserWithSession,
  dashboardRequest,
  paramsOf,
  TEST_ORIGIN,
} from "~tests/helpers/auth";
import { connectBot } from "~tests/helpers/bot-connect";
import { useLimits } from "~tests/helpers/limits";

const discord = useDiscordFake();
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

const from = (address: string) => ({ "x-forwarded-for": address });

async function refusal(response: Response) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  const body = (await response.json()) as { error: { code: string; message: string; details: { scope: string } } };
  return { ...body.error, scope: body.error.details.scope, retryAfter };
}

describe("per client address", () => {
  it("limits admin sign-in (start and callback together) per address; another address still signs in", async () => {
    restore = useLimits({ RATE_LIMIT_SIGN_IN_PER_ADDRESS: "3", TRUSTED_PROXY_HOPS: "1" });
    const start = (address: string) =>
      signInLogin(new Request(`${TEST_ORIGIN}/api/auth/discord/login`, { headers: from(address) }), paramsOf({}));
    for (let i = 0; i < 2; i++) expect((await start("203.0.113.7")).status).toBe(303);
    // Callbacks from the flooding address count too (40 loops were 40 Discord token calls before).
    const flood = await signInCallback(
      new Request(`${TEST_ORIGIN}/api/auth/discord/callback?code=x&state=y`, { headers: from("203.0.113.7") }),
      paramsOf({}),
    );
    expect(flood.status).toBe(303);
    const refused = await refusal(await start("203.0.113.7"));
    expect(refused).toMatchObject({ code: "rate_limited", scope: "address" });
    expect(refused.message).toMatch(/your address/);
    const again = await signInCallback(
      new Request(`${TEST_ORIGIN}/api/auth/discord/callback?code=x&state=y`, { headers: from("203.0.113.7") }),
      paramsOf({}),
    );
    expect(again.status).toBe(429);
    expect(discord.countRequests("POST /oauth2/token")).toBe(0);

    // Someone else signs in end to end.
    const other = await start("198.51.100.2");
    const authorize = new URL(other.headers.get("location")!);
    const cookie = other.headers
      .getSetCookie()
      .find((c) => c.startsWith("gg_login="))!
      .split(";")[0]!;
    const code = discord.issueAuthorizationCode({
      clientId: discord.world.platform.id,
      userId: discord.world.admin.id,
      scopes: ["identify"],
      redirectUri: loginRedirectUri(),
    });
    const url = new URL(`${TEST_ORIGIN}/api/auth/discord/callback`);
    url.search = new URLSearchParams({ code, state: authorize.searchParams.get("state")! }).toString();
    const done = await signInCallback(new Request(url, { headers: { cookie, ...from("198.51.100.2") } }), paramsOf({}));
    expect(done.headers.getSetCookie().some((c) => c.startsWith("gg_session="))).toBe(true);
  });

  it("limits applicant sign-in and application submissions per address", async () => {
    restore = useLimits({
      RATE_LIMIT_SIGN_IN_PER_ADDRESS: "3",
      RATE_LIMIT_APPLY_PER_ADDRESS: "1",
      TRUSTED_PROXY_HOPS: "1",
    });
    await db.organization.create({ data: { slug: "acme", name: "Acme" } });
    const address = "203.0.113.8";
    const login = (at: string) =>
      applyLogin(new Request(`${TEST_ORIGIN}/api/apply/acme/login`, { headers: from(at) }), paramsOf({ slug: "acme" }));
    const start = await login(address);
    const authorize = new URL(start.headers.get("location")!);
    const flow = start.headers
      .getSetCookie()
      .find((c) => c.startsWith("gg_apply_flow="))!
      .split(";")[0]!;
    const code = discord.issueAuthorizationCode({
      clientId: discord.world.platform.id,
      userId: discord.world.applicant.id,
      scopes: ["identify"],
      redirectUri: applyRedirectUri(),
    });
    const url = new URL(`${TEST_ORIGIN}/api/apply/callback`);
    url.search = new URLSearchParams({ code, state: authorize.searchParams.get("state")! }).toString();
    const back = await applyCallback(new Request(url, { headers: { cookie: flow, ...from(address) } }), paramsOf({}));
    const applicant = back.headers
      .getSetCookie()
      .find((c) => c.startsWith("gg_applicant="))!
      .split(";")[0]!;

    const post = (at: string) =>
      submit(
        new Request(`${TEST_ORIGIN}/api/apply/acme`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: TEST_ORIGIN, cookie: applicant, ...from(at) },
          body: JSON.stringify({ answers: {} }),
        }),
        paramsOf({ slug: "acme" }),
      );
    expect((await post(address)).status).toBe(201);
    expect(await refusal(await post(address))).toMatchObject({ code: "rate_limited", scope: "address" });
    expect(await db.application.count()).toBe(1);

    expect((await login(address)).status).toBe(303); // the third sign-in step of three
    expect((await refusal(await login(address))).scope).toBe("address");
    expect((await login("198.51.100.3")).status).toBe(303);
  });
});

describe("per user and per organization", () => {
  it("limits organization creation per user; another user still creates one", async () => {
    restore = useLimits({ RATE_LIMIT_ORG_CREATE_PER_USER: "2" });
    const { cookie } = await createUserWithSession();
    const create = (c: string, name: string) =>
      createOrg(dashboardRequest("POST", "/api/orgs", { cookie: c, body: { name } }), paramsOf({}));
    expect((await create(cookie, "First org")).status).toBe(201);
    expect((await create(cookie, "Second org")).status).toBe(201);
    const refused = await refusal(await create(cookie, "Third org"));
    expect(refused).toMatchObject({ code: "rate_limited", scope: "user" });
    expect(refused.message).toMatch(/You have created/);
    expect(await db.organization.count()).toBe(2);
    const other = await createUserWithSession();
    expect((await create(other.cookie, "Other org")).status).toBe(201);
  });

  it("keeps bot health 30 s (one Discord check for many loads) and limits fresh checks per organization", async () => {
    restore = useLimits({ RATE_LIMIT_BOT_READS_PER_ORG: "2" });
    const { organization, cookie } = await createOrgWithMember("ADMIN");
    await connectBot(discord, organization.slug, cookie, { guildId: discord.world.guild.id });
    const load = (fresh: boolean) =>
      health(
        dashboardRequest("GET", `/api/orgs/${organization.slug}/bot/health${fresh ? "?fresh=1" : ""}`, { cookie }),
        paramsOf({ slug: organization.slug }),
      );
    for (let i = 0; i < 5; i++) expect((await load(false)).status).toBe(200);
    expect(discord.countRequests("GET /users/@me")).toBe(1);
    expect((await load(true)).status).toBe(200);
    const refused = await refusal(await load(true));
    expect(refused).toMatchObject({ code: "rate_limited", scope: "organization" });
    expect(discord.countRequests("GET /users/@me")).toBe(2);
    // The role picker shares the organization's reads.
    const list = await roles(
      dashboardRequest("GET", `/api/orgs/${organization.slug}/bot/roles`, { cookie }),
      paramsOf({ slug: organization.slug }),
    );
    expect(list.status).toBe(429);
  });
});

describe("shares of Discord's invalid-request budget", () => {
  const wrongToken = (slug: string, cookie: string, n: number) =>
    putCredentials(
      dashboardRequest("PUT", `/api/orgs/${slug}/bot/credentials`, {
        cookie,
        body: {
          applicationId: discord.world.tenantApplication.id,
          clientSecret: "s".repeat(32),
          botToken: `wrong${n}`.padEnd(40, "x"),
        },
      }),
      paramsOf({ slug }),
    );

  it("an organization that spent its share is refused with 429 naming the organization; another tenant is not", async () => {
    restore = useLimits({ DISCORD_INVALID_REQUEST_PER_ORG: "3" });
    const a = await createOrgWithMember("OWNER");
    for (let n = 0; n < 3; n++)
      expect((await (await wrongToken(a.organization.slug, a.cookie, n)).json()).error.code).toBe("invalid_bot_token");
    const refused = await refusal(await wrongToken(a.organization.slug, a.cookie, 3));
    expect(refused).toMatchObject({ code: "discord_budget_exhausted", scope: "organization" });
    expect(refused.message).toMatch(/This organization/);
    expect(discord.countRequests("GET /users/@me")).toBe(3);

    const b = await createOrgWithMember("OWNER");
    expect((await (await wrongToken(b.organization.slug, b.cookie, 9)).json()).error.code).toBe("invalid_bot_token");
  });

  it("a user's share spans every organization they create", async () => {
    restore = useLimits({ DISCORD_INVALID_REQUEST_PER_USER: "2" });
    const { user, cookie } = await createUserWithSession();
    for (let i = 0; i < 3; i++) {
      const org = await db.organization.create({ data: { slug: `mine-${i}`, name: `Mine ${i}` } });
      await db.membership.create({ data: { organizationId: org.id, userId: user.id, role: "OWNER" } });
      const response = await wrongToken(org.slug, cookie, i);
      if (i < 2) expect((await response.json()).error.code).toBe("invalid_bot_token");
      else expect(await refusal(response)).toMatchObject({ code: "discord_budget_exhausted", scope: "user" });
    }
  });

  it("sign-in keeps its reserve when tenants spent the rest of the platform's budget", async () => {
    // 55 per 10 minutes = 5 per one-minute window, of which 10/11 = the last 1 per minute is reserved for sign-in.
    restore = useLimits({
      DISCORD_INVALID_REQUEST_LIMIT: "55",
      DISCORD_INVALID_REQUEST_SIGN_IN_RESERVE: "11",
      TRUSTED_PROXY_HOPS: "1",
    });
    for (let n = 0; n < 4; n++) {
      const tenant = await createOrgWithMember("OWNER");
      expect((await (await wrongToken(tenant.organization.slug, tenant.cookie, n)).json()).error.code).toBe(
        "invalid_bot_token",
      );
    }
    const late = await createOrgWithMember("OWNER");
    const refused = await refusal(await wrongToken(late.organization.slug, late.cookie, 5));
    expect(refused).toMatchObject({ code: "discord_budget_exhausted", scope: "platform" });

    const start = await signInLogin(
      new Request(`${TEST_ORIGIN}/api/auth/discord/login`, { headers: from("198.51.100.4") }),
      paramsOf({}),
    );
    const authorize = new URL(start.headers.get("location")!);
    const cookie = start.headers
      .getSetCookie()
      .find((c) => c.startsWith("gg_login="))!
      .split(";")[0]!;
    const code = discord.issueAuthorizationCode({
      clientId: discord.world.platform.id,
      userId: discord.world.admin.id,
      scopes: ["identify"],
      redirectUri: loginRedirectUri(),
    });
    const url = new URL(`${TEST_ORIGIN}/api/auth/discord/callback`);
    url.search = new URLSearchParams({ code, state: authorize.searchParams.get("state")! }).toString();
    const done = await signInCallback(new Request(url, { headers: { cookie, ...from("198.51.100.4") } }), paramsOf({}));
    expect(done.headers.get("location")).toBe(`${TEST_ORIGIN}/dashboard`);
  });
});
