// Issue 11 item 6: lone UTF-16 surrogates at the JSON boundary and from Discord, a forged audit cursor on the page,
// a suspended organization's API tokens, and the client address without a proxy.
import { expect, it } from "vitest";
import { GET as signInCallback } from "@/app/api/auth/discord/callback/route";
import { GET as signInLogin } from "@/app/api/auth/discord/login/route";
import { POST as createOrg } from "@/app/api/orgs/route";
import { POST as createTokenRoute } from "@/app/api/orgs/[slug]/tokens/route";
import { GET as listApi, POST as submitApi } from "@/app/api/v1/applications/route";
import { parseAuditQuery } from "@/lib/audit/list-audit";
import { db } from "@/lib/db";
import { parseEnv } from "@/lib/env";
import { readJson } from "@/lib/http/route";
import { loginRedirectUri } from "@/lib/security/discord-sign-in";
import { clientIp } from "@/lib/security/origin";
import { resolveSession } from "@/lib/security/session";
import { invalidateOrganizationTokens } from "@/lib/discord/token-resolver";
import { z } from "zod";
import { useDiscordFake } from "~tests/fakes/discord";
import { apiTokenFor, createOrgWithGuild, waitFor } from "~tests/helpers/applications";
import { createOrgWithMember, dashboardRequest, paramsOf, TEST_ORIGIN } from "~tests/helpers/auth";

const discord = useDiscordFake();
const LONE = "bad\uD800text";
const errorOf = async (response: Response) => ({
  status: response.status,
  code: ((await response.json()) as { error: { code: string } }).error.code,
});
const jsonRequest = (text: string) =>
  new Request(`${TEST_ORIGIN}/x`, { method: "POST", headers: { "content-type": "application/json" }, body: text });

it("readJson refuses a lone surrogate anywhere (value, key, nested, low half) with 400 invalid_text and accepts real pairs", async () => {
  const any = z.unknown();
  for (const text of ['{"name":"a\\ud800"}', '{"a\\udc00":1}', '{"list":[{"deep":"\\ud83d"}]}', '["x\\udfff y"]']) {
    await expect(readJson(jsonRequest(text), any), text).rejects.toMatchObject({ code: "invalid_text", status: 400 });
  }
  expect(await readJson(jsonRequest('{"name":"\\ud83d\\ude00 ok"}'), any)).toEqual({ name: "😀 ok" });
});

it("write routes answer 400 invalid_text to a lone surrogate and write nothing", async () => {
  const { cookie, organization } = await createOrgWithMember("OWNER");
  const orgs = await db.organization.count();
  expect(
    await errorOf(
      await createOrg(dashboardRequest("POST", "/api/orgs", { cookie, body: { name: LONE } }), paramsOf({})),
    ),
  ).toEqual({ status: 400, code: "invalid_text" });
  expect(await db.organization.count()).toBe(orgs);

  const token = await createTokenRoute(
    dashboardRequest("POST", `/api/orgs/${organization.slug}/tokens`, {
      cookie,
      body: { name: LONE, scopes: ["applications:read"] },
    }),
    paramsOf({ slug: organization.slug }),
  );
  expect(await errorOf(token)).toEqual({ status: 400, code: "invalid_text" });
  expect(await db.apiToken.count()).toBe(0);

  const writer = await apiTokenFor(organization.id, ["applications:write"]);
  const submit = await submitApi(
    new Request(`${TEST_ORIGIN}/api/v1/applications`, {
      method: "POST",
      headers: { authorization: writer.authorization, "content-type": "application/json" },
      body: JSON.stringify({ discordUserId: "1200000000000000200", applicantName: LONE, answers: {} }),
    }),
    paramsOf({}),
  );
  expect(await errorOf(submit)).toEqual({ status: 400, code: "invalid_text" });
  expect(await db.application.count()).toBe(0);
});

it("a Discord display name with a lone surrogate signs in, stored with U+FFFD", async () => {
  discord.world.admin.globalName = "Demo\uD800Admin\u0000";
  const login = await signInLogin(new Request(`${TEST_ORIGIN}/api/auth/discord/login`), paramsOf({}));
  const authorize = new URL(login.headers.get("location")!);
  const loginCookie = login.headers
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
  url.searchParams.set("code", code);
  url.searchParams.set("state", authorize.searchParams.get("state")!);
  const response = await signInCallback(new Request(url, { headers: { cookie: loginCookie } }), paramsOf({}));
  expect(response.status).toBe(303);
  const session = response.headers.getSetCookie().find((c) => c.startsWith("gg_session="))!;
  const resolved = await resolveSession({ token: session.split(";")[0]!.slice("gg_session=".length) });
  expect(resolved?.user.name).toBe("Demo\uFFFDAdmin");
});

it("a forged audit cursor is refused by parseAuditQuery (the page shows its bad-filter state, not a 500)", () => {
  expect(() => parseAuditQuery({ cursor: "zzz" })).toThrow();
  expect(parseAuditQuery({}).cursor).toBeUndefined();
});

it("a suspended organization's API tokens are refused with 409 organization_suspended", async () => {
  const { organization } = await createOrgWithGuild();
  const reader = await apiTokenFor(organization.id, ["applications:read"]);
  const list = () =>
    listApi(
      new Request(`${TEST_ORIGIN}/api/v1/applications`, { headers: { authorization: reader.authorization } }),
      paramsOf({}),
    );
  expect((await list()).status).toBe(200);
  // Suspending is a status change plus the cache eviction every instance hears (README: invalidateOrganizationTokens).
  await db.$transaction(async (tx) => {
    await tx.organization.update({ where: { id: organization.id }, data: { status: "SUSPENDED" } });
    await invalidateOrganizationTokens(organization.id, tx);
  });
  await waitFor(
    async () => (await list()).status,
    (status) => status === 409,
  );
  expect(await errorOf(await list())).toEqual({ status: 409, code: "organization_suspended" });
});

it("without TRUSTED_PROXY_HOPS no forwarding header is believed: X-Forwarded-For is the client's own claim", () => {
  const env = parseEnv({
    DATABASE_URL: "postgresql://x@127.0.0.1/x",
    STATE_SIGNING_SECRET: "test-state-signing-secret-0123456789abcdefghijklmnop",
    VAULT_KEYS: `1:${Buffer.alloc(32, 7).toString("base64")}`,
  });
  expect(env.TRUSTED_PROXY_HOPS).toBe(0);
  const spoofed = new Request(`${TEST_ORIGIN}/`, {
    headers: { "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.9" },
  });
  expect(clientIp(spoofed, { trustedProxyHops: env.TRUSTED_PROXY_HOPS })).toBeNull();
  // Behind one proxy, the entry it appended (the rightmost) is the client, whatever the client put first.
  const proxied = new Request(`${TEST_ORIGIN}/`, { headers: { "x-forwarded-for": "203.0.113.9, 198.51.100.4" } });
  expect(clientIp(proxied, { trustedProxyHops: 1 })).toBe("198.51.100.4");
});
