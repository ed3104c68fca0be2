// /api/metrics: refused anonymously unless an operator configured it, and exposes every series docs/OPERATIONS.md documents.
import fs from "node:fs";
import { afterEach, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET } from "@/app/api/metrics/route";
import { db } from "@/lib/db";
import { createDiscordClient } from "@/lib/discord/client";
import { resetEnvCache } from "@/lib/env";
import { routeTemplate } from "@/lib/http/route";
import { addJob } from "@/lib/jobs/add-job";
import { useDiscordFake } from "~tests/fakes/discord";
import { noteOutsiderDenial, outsiderDenialCounts } from "@/lib/security/denials";

const discord = useDiscordFake();
const TOKEN = "metrics-token-for-tests-0123456789abcdef";
const scrape = (authorization?: string) =>
  GET(new Request("http://localhost/api/metrics", { headers: authorization ? { authorization } : {} }), {
    params: Promise.resolve({}),
  });

function setEnv(values: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
}

afterEach(() => setEnv({ METRICS_TOKEN: undefined, METRICS_PUBLIC: undefined }));

/** The metric names in docs/OPERATIONS.md's table, so the documentation and the endpoint cannot drift apart. */
function documentedMetrics(): string[] {
  const readme = fs.readFileSync("docs/OPERATIONS.md", "utf8");
  return [...readme.matchAll(/^\| `(guildgate_[a-z_]+)` \|/gm)].map((m) => m[1]!);
}

it("answers 404 without a configured token, 401 to a missing or wrong bearer token, 200 to the right one", async () => {
  const hidden = await scrape();
  expect(hidden.status).toBe(404);
  expect(await hidden.text()).not.toContain("guildgate_");

  setEnv({ METRICS_TOKEN: TOKEN });
  expect((await scrape()).status).toBe(401);
  expect((await scrape(`Bearer ${TOKEN}x`)).status).toBe(401);
  expect((await scrape(`Basic ${TOKEN}`)).status).toBe(401);
  const ok = await scrape(`Bearer ${TOKEN}`);
  expect(ok.status).toBe(200);
  expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
});

it("is open without a token only when METRICS_PUBLIC=true", async () => {
  setEnv({ METRICS_PUBLIC: "true" });
  expect((await scrape()).status).toBe(200);
  setEnv({ METRICS_PUBLIC: "false", METRICS_TOKEN: TOKEN });
  expect((await scrape()).status).toBe(401);
});

it("exposes every documented series, with samples from requests, Discord calls and the queue", async () => {
  setEnv({ METRICS_TOKEN: TOKEN });
  await health(new Request("http://localhost/api/health"), { params: Promise.resolve({}) });
  const bot = createDiscordClient({ token: discord.world.platform.botToken, kind: "Bot" });
  await bot.getGuildRoles(discord.world.guild.id);
  await expect(
    createDiscordClient({ token: "Bot.not-a-real-token", kind: "Bot" }).getCurrentUser(),
  ).rejects.toMatchObject({ status: 401 });
  await addJob({ tx: db, identifier: "ops-metrics-noop", payload: {}, runAt: new Date(Date.now() - 30_000) });

  const text = await (await scrape(`Bearer ${TOKEN}`)).text();
  const documented = documentedMetrics();
  expect(documented.length).toBeGreaterThanOrEqual(10);
  for (const name of documented) expect(text, name).toContain(`# TYPE ${name} `);

  expect(text).toMatch(/guildgate_http_requests_total\{route="\/api\/health",method="GET",status="200"\} [1-9]/);
  expect(text).toMatch(
    /guildgate_http_request_duration_seconds_bucket\{le="\+Inf",route="\/api\/health",method="GET",status="200"\} [1-9]/,
  );
  expect(text).toMatch(
    /guildgate_discord_requests_total\{route="\/guilds\/:id\/roles",method="GET",status="200"\} [1-9]/,
  );
  expect(text).toMatch(/guildgate_discord_invalid_requests_total\{status="401"\} [1-9]/);
  expect(text).toMatch(/guildgate_job_queue_depth\{task="ops-metrics-noop",state="ready"\} 1\b/);
  const oldest = Number(/^guildgate_job_queue_oldest_ready_seconds (\S+)$/m.exec(text)?.[1]);
  expect(oldest).toBeGreaterThanOrEqual(29);
  // No guild or user id ever becomes a label value.
  expect(text).not.toContain(discord.world.guild.id);
});

it("labels routes by their template and counts refusals by status", async () => {
  expect(routeTemplate("/api/orgs/acme/tokens/9f1c", { slug: "acme", id: "9f1c" })).toBe(
    "/api/orgs/[slug]/tokens/[id]",
  );
  expect(routeTemplate("/api/orgs/a%20b/audit", { slug: "a b" })).toBe("/api/orgs/[slug]/audit");
  setEnv({ METRICS_TOKEN: TOKEN });
  await scrape("Bearer wrong");
  const text = await (await scrape(`Bearer ${TOKEN}`)).text();
  expect(text).toMatch(/guildgate_http_requests_total\{route="\/api\/metrics",method="GET",status="401"\} [1-9]/);
});

it("counts denials by reason, the same count the security log samples", async () => {
  setEnv({ METRICS_TOKEN: TOKEN });
  noteOutsiderDenial({ reason: "discord_not_reviewer" });
  noteOutsiderDenial({ reason: "discord_not_reviewer" });
  const text = await (await scrape(`Bearer ${TOKEN}`)).text();
  const count = Number(/^guildgate_access_denials_total\{reason="discord_not_reviewer"\} (\d+)$/m.exec(text)?.[1]);
  expect(count).toBeGreaterThanOrEqual(2);
  expect(count).toBe(outsiderDenialCounts().discord_not_reviewer);
});
