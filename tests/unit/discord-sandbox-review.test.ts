// The sandbox's channel view over real HTTP: a bot's message with buttons is shown, a click goes to the app as a
// signed interaction (checked here with the app's own verification against the sandbox's DISCORD_PUBLIC_KEY), the
// app's modal is shown as a form, and its answers (type 7, ephemeral) change what the page shows.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { http as mswHttp, passthrough } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verifyInteraction } from "@/lib/discord-review/verify";
import { type DiscordSandbox, startDiscordSandbox } from "~tests/fakes/discord/sandbox";
import { PERMISSIONS } from "~tests/fakes/discord";
import { server } from "~tests/msw/server";

let sandbox: DiscordSandbox;
let app: http.Server;
let appUrl: string;
const received: { verified: boolean; body: Record<string, unknown> }[] = [];

/** A stand-in app: verifies like ours, opens a modal for "reject", edits the message for "approve". */
function answer(body: Record<string, unknown>) {
  const data = body.data as { custom_id: string; components?: unknown[] };
  if (data.custom_id === "gg:reject") {
    return {
      type: 9,
      data: {
        custom_id: "gg:reason",
        title: "Reject application",
        components: [{ type: 18, label: "Reason", component: { type: 4, custom_id: "reason", style: 2 } }],
      },
    };
  }
  if (data.custom_id === "gg:reason")
    return { type: 4, data: { content: `Rejected: ${JSON.stringify(data.components)}`, flags: 64 } };
  return { type: 7, data: { embeds: [{ title: "Approved by Demo Admin" }], components: [] } };
}

beforeAll(async () => {
  app = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const verified = verifyInteraction({
        publicKeyHex: sandbox.env.DISCORD_PUBLIC_KEY,
        signature: String(req.headers["x-signature-ed25519"] ?? ""),
        timestamp: String(req.headers["x-signature-timestamp"] ?? ""),
        rawBody: raw,
      }).ok;
      const body = JSON.parse(raw) as Record<string, unknown>;
      received.push({ verified, body });
      res.writeHead(verified ? 200 : 401, { "Content-Type": "application/json" });
      res.end(JSON.stringify(verified ? answer(body) : { error: "bad signature" }));
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  sandbox = await startDiscordSandbox({ port: 0, interactionsUrl: `${appUrl}/api/discord/interactions` });
});
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => app.close(resolve));
});
beforeEach(async () => {
  server.use(
    mswHttp.all(`${sandbox.url}/*`, () => passthrough()),
    mswHttp.all(`${appUrl}/*`, () => passthrough()),
  );
  await fetch(`${sandbox.url}/_sandbox/reset`, { method: "POST" });
  received.length = 0;
});

async function postReviewMessage(): Promise<string> {
  const world = sandbox.world();
  world.roles.bot.permissions |= PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS;
  const response = await fetch(`${sandbox.env.DISCORD_API_BASE_URL}/channels/${world.channels.general.id}/messages`, {
    method: "POST",
    headers: { Authorization: `Bot ${sandbox.env.DISCORD_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      embeds: [{ title: "Application from Alex" }],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 3, label: "Approve", custom_id: "gg:approve" },
            { type: 2, style: 4, label: "Reject", custom_id: "gg:reject" },
          ],
        },
      ],
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

const page = async (path: string) => (await fetch(`${sandbox.url}${path}`)).text();
const click = (path: string, form: Record<string, string>) =>
  fetch(`${sandbox.url}${path}`, { method: "POST", body: new URLSearchParams(form), redirect: "manual" });

describe("the sandbox's channel view", () => {
  it("shows the message and sends a click as a signed interaction whose type 7 answer edits the message", async () => {
    const world = sandbox.world();
    const messageId = await postReviewMessage();
    const channel = `/_sandbox/channels/${world.channels.general.id}`;
    expect(await page("/_sandbox/channels")).toContain("#general");
    const before = await page(`${channel}?as=${world.admin.id}`);
    expect(before).toContain("Application from Alex");
    expect(before).toContain(">Approve</button>");

    const response = await click(`${channel}/messages/${messageId}/click`, {
      custom_id: "gg:approve",
      as: world.admin.id,
    });
    expect(response.status).toBe(303);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      verified: true,
      body: {
        type: 3,
        application_id: world.platform.id,
        guild_id: world.guild.id,
        data: { custom_id: "gg:approve", component_type: 2 },
      },
    });
    expect(received[0]!.body.member).toMatchObject({ user: { id: world.admin.id } });
    const after = await page(`${channel}?as=${world.admin.id}`);
    expect(after).toContain("Approved by Demo Admin");
    expect(after).not.toContain(">Approve</button>");
  });

  it("shows the app's modal as a form and submits it as MODAL_SUBMIT; the ephemeral answer only to that user", async () => {
    const world = sandbox.world();
    const messageId = await postReviewMessage();
    const channel = `/_sandbox/channels/${world.channels.general.id}`;
    await click(`${channel}/messages/${messageId}/click`, { custom_id: "gg:reject", as: world.admin.id });
    const withModal = await page(`${channel}?as=${world.admin.id}`);
    expect(withModal).toContain('name="input:reason"');
    await click(`${channel}/modal`, { as: world.admin.id, "input:reason": "Too new" });
    expect(received.at(-1)!.body).toMatchObject({
      type: 5,
      data: {
        custom_id: "gg:reason",
        components: [{ type: 18, component: { type: 4, custom_id: "reason", value: "Too new" } }],
      },
    });
    expect(await page(`${channel}?as=${world.admin.id}`)).toContain("Only you can see this: Rejected:");
    expect(await page(`${channel}?as=${world.applicant.id}`)).not.toContain("Only you can see this");
  });
});
