// The sign-in page sends a signed-in visitor straight to ?next=: it must never leave the site.
import { beforeEach, expect, it, vi } from "vitest";
import { createUserWithSession } from "~tests/helpers/auth";

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

const { default: SignInPage } = await import("@/app/signin/page");

async function redirectOf(next: string): Promise<string> {
  try {
    await SignInPage({ searchParams: Promise.resolve({ next }) });
  } catch (error) {
    // next/navigation's redirect throws "NEXT_REDIRECT;<type>;<url>;<status>;"
    return String((error as { digest?: string }).digest ?? error).split(";")[2] ?? "";
  }
  return "rendered";
}

beforeEach(async () => {
  jar.cookie = (await createUserWithSession()).cookie;
});

it("redirects a signed-in visitor to a same-site next path", async () => {
  expect(await redirectOf("/dashboard/acme/applications")).toBe("/dashboard/acme/applications");
});

it("sends a signed-in visitor to /dashboard when next would leave the site", async () => {
  for (const next of [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\\evil.example",
    "//evil.example",
    "https://evil.example",
  ]) {
    expect(await redirectOf(next), JSON.stringify(next)).toBe("/dashboard");
  }
});
