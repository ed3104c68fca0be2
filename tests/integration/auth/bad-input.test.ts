// Invariant 4 for this area's routes: bad input is a 4xx (or, for OAuth callbacks, a redirect with an error code),
// never a 500, and writes nothing.
import { expect, it } from "vitest";
import { GET as loginCallback } from "@/app/api/auth/discord/callback/route";
import { GET as botCallback } from "@/app/api/discord/bot-callback/route";
import { GET as botConnect } from "@/app/api/discord/bot-connect/route";
import { POST as createOrg } from "@/app/api/orgs/route";
import { DELETE as removeMember, PATCH as patchMember, POST as addMember } from "@/app/api/orgs/[slug]/members/route";
import { PUT as putCredentials } from "@/app/api/orgs/[slug]/bot/credentials/route";
import { db } from "@/lib/db";
import { useDiscordFake } from "~tests/fakes/discord";
import { createOrgWithMember, dashboardRequest, paramsOf } from "~tests/helpers/auth";

useDiscordFake();

const weird = ["", "%", "a".repeat(5000), "\u0000", "💥", "../../etc/passwd", "eyJ.eyJ.sig", "null", "[object Object]"];

it("OAuth callbacks answer every garbage query with a redirect carrying an error code", async () => {
  const { cookie } = await createOrgWithMember("OWNER");
  for (const value of weird) {
    for (const key of ["state", "code", "error", "guild_id"]) {
      const url = new URL("http://localhost:3000/x");
      url.searchParams.set(key, value);
      url.searchParams.set("state", key === "state" ? value : "garbage");
      for (const handler of [loginCallback, botCallback]) {
        const response = await handler(
          new Request(url, { headers: { cookie: `${cookie}; gg_login=${encodeURIComponent(value)}` } }),
          paramsOf({}),
        );
        expect(response.status).toBe(303);
        expect(response.headers.get("location")).toMatch(/error=[a-z_]+$/);
      }
    }
  }
  expect(await db.discordConnection.count()).toBe(0);
  expect(await db.session.count()).toBe(1);
});

it("JSON routes answer bad bodies and params with 4xx and write nothing", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const slug = organization.slug;
  const bodies = [
    {},
    { discordUserId: 1, role: "OWNER" },
    { discordUserId: "12345", role: "ADMIN" },
    { discordUserId: "99999999999999999999999", role: "KING" },
    [],
    "x",
    null,
  ];
  for (const body of bodies) {
    for (const handler of [addMember, patchMember]) {
      const response = await handler(
        dashboardRequest("POST", `/api/orgs/${slug}/members`, { cookie, body }),
        paramsOf({ slug }),
      );
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    const put = await putCredentials(
      dashboardRequest("PUT", `/api/orgs/${slug}/bot/credentials`, { cookie, body }),
      paramsOf({ slug }),
    );
    expect(put.status).toBe(400);
    const created = await createOrg(dashboardRequest("POST", "/api/orgs", { cookie, body }), paramsOf({}));
    expect(created.status).toBe(400);
  }
  const notJson = await addMember(
    dashboardRequest("POST", `/api/orgs/${slug}/members`, { cookie, headers: { "content-type": "text/plain" } }),
    paramsOf({ slug }),
  );
  expect(notJson.status).toBe(415);
  for (const query of ["", "?discordUserId=", "?discordUserId=abc", `?discordUserId=${"9".repeat(30)}`]) {
    const response = await removeMember(
      dashboardRequest("DELETE", `/api/orgs/${slug}/members${query}`, { cookie }),
      paramsOf({ slug }),
    );
    expect(response.status).toBe(400);
  }
  for (const org of ["", "UPPER", "a".repeat(300), "../x", "%00"]) {
    const response = await botConnect(
      dashboardRequest("GET", `/api/discord/bot-connect?org=${encodeURIComponent(org)}`, { cookie }),
      paramsOf({}),
    );
    // A browser navigation: an unknown organization is the same forbidden page as any other denial.
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get("location")!).search).toBe("?error=forbidden");
  }
  expect(await db.membership.count()).toBe(1);
  expect(await db.organization.count()).toBe(1);
  expect(await db.vaultSecret.count()).toBe(0);
});
