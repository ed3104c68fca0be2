// The public apply flow: Apply with Discord (apply-purpose state, PKCE, flow cookie), then submitting answers.
import { expect, it } from "vitest";
import { addQuestion } from "~tests/helpers/applications";
import { POST as submit } from "@/app/api/apply/[slug]/route";
import { GET as login } from "@/app/api/apply/[slug]/login/route";
import { GET as callback } from "@/app/api/apply/callback/route";
import { applyRedirectUri, readApplicant } from "@/lib/applications/intake/applicant-auth";
import { getApplyPageData } from "@/lib/applications/intake/apply-page";
import { db } from "@/lib/db";
import { signStateToken } from "@/lib/security/state-token";
import { useDiscordFake } from "~tests/fakes/discord";
import { paramsOf, TEST_ORIGIN } from "~tests/helpers/auth";

const discord = useDiscordFake();

async function orgWithQuestion(slug = "acme") {
  const organization = await db.organization.create({ data: { slug, name: "Acme" } });
  const question = await addQuestion({
    organizationId: organization.id,
    label: "Why?",
    kind: "SHORT_TEXT",
    position: 0,
  });
  return { organization, question };
}

async function signInAs(slug: string, userId: string) {
  const start = await login(new Request(`${TEST_ORIGIN}/api/apply/${slug}/login`), paramsOf({ slug }));
  expect(start.status).toBe(303);
  const authorize = new URL(start.headers.get("location")!);
  const flowCookie = start.headers
    .getSetCookie()
    .find((c) => c.startsWith("gg_apply_flow="))!
    .split(";")[0]!;
  const code = discord.issueAuthorizationCode({
    clientId: discord.world.platform.id,
    userId,
    scopes: ["identify"],
    redirectUri: applyRedirectUri(),
  });
  const url = new URL(`${TEST_ORIGIN}/api/apply/callback`);
  url.searchParams.set("code", code);
  url.searchParams.set("state", authorize.searchParams.get("state")!);
  const back = await callback(new Request(url, { headers: { cookie: flowCookie } }), paramsOf({}));
  return { authorize, flowCookie, back, url };
}

function post(slug: string, body: unknown, cookie?: string, origin: string | null = TEST_ORIGIN) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  return submit(
    new Request(`${TEST_ORIGIN}/api/apply/${slug}`, { method: "POST", headers, body: JSON.stringify(body) }),
    paramsOf({ slug }),
  );
}

it("signs the applicant in with Discord and submits one open application with their proven Discord id", async () => {
  const { organization, question } = await orgWithQuestion();
  const { authorize, back } = await signInAs("acme", discord.world.applicant.id);
  expect(authorize.searchParams.get("scope")).toBe("identify");
  expect(authorize.searchParams.get("redirect_uri")).toBe(applyRedirectUri());
  expect(back.status).toBe(303);
  expect(back.headers.get("location")).toBe(`${TEST_ORIGIN}/apply/acme`);
  const applicantCookie = back.headers
    .getSetCookie()
    .find((c) => c.startsWith("gg_applicant="))!
    .split(";")[0]!;
  const applicant = await readApplicant(applicantCookie.slice("gg_applicant=".length));
  expect(applicant).toMatchObject({ discordUserId: discord.world.applicant.id, name: "Alex Applicant" });

  const created = await post("acme", { answers: { [question.id]: "I like it" } }, applicantCookie);
  expect(created.status).toBe(201);
  const application = await db.application.findFirstOrThrow();
  expect(application).toMatchObject({
    organizationId: organization.id,
    applicantDiscordId: discord.world.applicant.id,
    applicantName: "Alex Applicant",
    source: "WEB",
  });

  const again = await post("acme", { answers: { [question.id]: "Twice" } }, applicantCookie);
  expect(again.status).toBe(409);
  expect(((await again.json()) as { error: { code: string } }).error.code).toBe("already_exists");

  const page = await getApplyPageData({ slug: "acme", applicant });
  expect(page.latest).toMatchObject({ id: application.id, status: "PENDING" });
  expect(page.questions.map((q) => q.id)).toEqual([question.id]);
});

it("refuses a callback without the flow cookie, a replayed state, and a state of another purpose", async () => {
  await orgWithQuestion();
  const first = await signInAs("acme", discord.world.applicant.id);
  expect(first.back.status).toBe(303);
  // Replay of the same callback URL: the state was consumed.
  const replay = await callback(new Request(first.url, { headers: { cookie: first.flowCookie } }), paramsOf({}));
  expect(
    replay.headers.getSetCookie().some((c) => c.startsWith("gg_applicant=") && !c.startsWith("gg_applicant=;")),
  ).toBe(false);
  expect(replay.headers.get("location")).toBe(`${TEST_ORIGIN}/apply/acme?error=invalid_state`);

  const noCookie = new URL(first.url);
  const second = await signInAs("acme", discord.world.applicant.id);
  noCookie.searchParams.set("state", second.authorize.searchParams.get("state")!);
  const without = await callback(new Request(noCookie), paramsOf({}));
  expect(without.headers.get("location")).toBe(`${TEST_ORIGIN}/?error=invalid_state`);

  const loginState = await signStateToken({ purpose: "login", redirectTo: "/apply/acme" });
  const wrong = new URL(first.url);
  wrong.searchParams.set("state", loginState);
  const wrongPurpose = await callback(new Request(wrong, { headers: { cookie: first.flowCookie } }), paramsOf({}));
  expect(wrongPurpose.headers.get("location")).toBe(`${TEST_ORIGIN}/apply/acme?error=invalid_state`);
});

it("submitting needs the signed applicant cookie and the same origin, and validates answers; nothing is written otherwise", async () => {
  const { question } = await orgWithQuestion();
  expect((await post("acme", { answers: { [question.id]: "x" } })).status).toBe(401);
  expect((await post("acme", { answers: { [question.id]: "x" } }, "gg_applicant=forged.token.value")).status).toBe(401);
  const { back } = await signInAs("acme", discord.world.applicant.id);
  const cookie = back.headers
    .getSetCookie()
    .find((c) => c.startsWith("gg_applicant="))!
    .split(";")[0]!;
  expect((await post("acme", { answers: { [question.id]: "x" } }, cookie, "https://evil.example")).status).toBe(403);
  expect((await post("acme", { answers: {} }, cookie)).status).toBe(400);
  expect((await post("nope", { answers: {} }, cookie)).status).toBe(404);
  expect(await db.application.count()).toBe(0);
});
