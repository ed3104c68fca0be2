// Pages during a database outage: each page's first database access throws DatabaseUnavailableError, whose digest
// (kept by Next in production, unlike the message) makes src/app/error.tsx show "temporarily unavailable".
import { afterAll, expect, it, vi } from "vitest";
import { disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { SERVICE_UNAVAILABLE_DIGEST } from "@/lib/errors/outage-digest";
import { createOrgWithMember } from "~tests/helpers/auth";
import { freePort } from "../../scripts/lib/embedded-postgres";

const jar = vi.hoisted(() => ({ cookie: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => {
      const pair = jar.cookie.split("; ").find((p) => p.startsWith(`${name}=`));
      return pair ? { name, value: pair.slice(name.length + 1) } : undefined;
    },
  }),
  headers: async () => new Headers(),
}));

const { requireOrgPage } = await import("@/lib/security/page-guard");
const { default: DashboardPage } = await import("@/app/dashboard/page");
const { default: SignInPage } = await import("@/app/signin/page");
const { default: ApplyPage } = await import("@/app/apply/[slug]/page");

const previousUrl = process.env.DATABASE_URL;

afterAll(async () => {
  process.env.DATABASE_URL = previousUrl;
  resetEnvCache();
  await disconnectDb();
});

async function digestOf(render: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await render();
  } catch (error) {
    return (error as { digest?: string }).digest;
  }
  return "rendered";
}

it("gives every page's outage the service-unavailable digest", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const slug = organization.slug;
  jar.cookie = cookie;
  // Nothing listens there: every connection is refused.
  process.env.DATABASE_URL = `postgresql://postgres:postgres@127.0.0.1:${await freePort()}/gone`;
  resetEnvCache();
  await disconnectDb();

  expect(await digestOf(() => requireOrgPage(slug, "org:read"))).toBe(SERVICE_UNAVAILABLE_DIGEST);
  expect(await digestOf(() => DashboardPage({ searchParams: Promise.resolve({}) }))).toBe(SERVICE_UNAVAILABLE_DIGEST);
  expect(await digestOf(() => SignInPage({ searchParams: Promise.resolve({}) }))).toBe(SERVICE_UNAVAILABLE_DIGEST);
  expect(
    await digestOf(() => ApplyPage({ params: Promise.resolve({ slug }), searchParams: Promise.resolve({}) })),
  ).toBe(SERVICE_UNAVAILABLE_DIGEST);

  process.env.DATABASE_URL = previousUrl;
  resetEnvCache();
  await disconnectDb();
});
