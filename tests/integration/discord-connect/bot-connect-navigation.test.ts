// GET /api/discord/bot-connect is a link the browser follows, so its denials are pages, not JSON: signed out ->
// sign-in (back to the settings page afterwards), no bot:manage or not a member -> /dashboard?error=forbidden,
// which says nothing about whether the organization exists. Each denial is still audited.
import { expect, it } from "vitest";
import { GET as botConnect } from "@/app/api/discord/bot-connect/route";
import { db } from "@/lib/db";
import { useDiscordFake } from "~tests/fakes/discord";
import { TEST_ORIGIN, createOrgWithMember, createUserWithSession, paramsOf } from "~tests/helpers/auth";

useDiscordFake();

async function connect(slug: string, cookie?: string) {
  const request = new Request(`${TEST_ORIGIN}/api/discord/bot-connect?org=${encodeURIComponent(slug)}`, {
    headers: cookie ? { cookie } : {},
  });
  const response = await botConnect(request, paramsOf({}));
  expect(response.status).toBe(303);
  expect(response.headers.get("content-type")).toBeNull();
  const location = new URL(response.headers.get("location")!);
  return location.origin === TEST_ORIGIN ? location.pathname + location.search : location.toString();
}

it("signed out: redirects to sign-in with the settings page as next", async () => {
  const { organization } = await createOrgWithMember("OWNER");
  expect(await connect(organization.slug)).toBe(
    `/signin?next=${encodeURIComponent(`/dashboard/${organization.slug}/settings`)}`,
  );
  expect(await db.auditEvent.count({ where: { action: "access.denied" } })).toBe(0);
});

it("a reviewer, a non-member and an unknown slug all get the same forbidden page", async () => {
  const { organization, cookie: reviewer } = await createOrgWithMember("REVIEWER");
  const outsider = await createUserWithSession();
  expect(await connect(organization.slug, reviewer)).toBe("/dashboard?error=forbidden");
  expect(await connect(organization.slug, outsider.cookie)).toBe("/dashboard?error=forbidden");
  expect(await connect("no-such-org", outsider.cookie)).toBe("/dashboard?error=forbidden");
  const denials = await db.auditEvent.findMany({ where: { action: "access.denied" }, orderBy: { createdAt: "asc" } });
  // Only the member's denial is the organization's business; outsiders' are counted (denials.ts).
  expect(denials.map((d) => (d.metadata as { reason: string }).reason)).toEqual(["missing_permission"]);
});

it("an admin still goes on to Discord's consent page", async () => {
  const { organization, cookie } = await createOrgWithMember("ADMIN");
  const location = new URL(await connect(organization.slug, cookie));
  expect(location.searchParams.get("scope")).toBe("bot identify");
  expect(location.searchParams.get("state")).toBeTruthy();
});
