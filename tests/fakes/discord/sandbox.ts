// The Discord sandbox: the fake served over HTTP (default port 3901) for `npm run dev`, the browser tests and
// people trying failure paths by hand. Discord's routes are under /api/v10 and /oauth2/authorize; /_sandbox/* is an
// admin API (state, faults, rate limits, users, guilds, recorded requests, reset) and /_sandbox/dms shows the
// direct messages users received (sandbox-dms.ts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { DiscordFake } from "./fake";
import { fakeApplicationKeys } from "./interactions";
import { DISCORD_LIKE_LIMITS, type Fault, type RateLimitConfig } from "./limits";
import { PERMISSIONS } from "./model";
import { json } from "./responses";
import { handleSandboxDms } from "./sandbox-dms";

import { createSandboxReviewHandler } from "./sandbox-review";
import { type StandardWorld, type WorldOptions, seedStandardWorld } from "./world";

/** Fixed, obviously fake credentials of the sandbox's platform application. */
export const SANDBOX_CREDENTIALS: WorldOptions = {
  clientId: "1100000000000000001",
  clientSecret: "sandbox-client-secret-not-a-real-secret",
  botToken: "MTEwMDAwMDAwMDAwMDAwMDAwMQ.sandbox.platform-bot-token-not-real",
  applicationName: "Guildgate (sandbox)",
};

export const SANDBOX_PORT = 3901;

export type DiscordSandbox = {
  fake: DiscordFake;
  world: () => StandardWorld;
  url: string;
  /** Values to put in the app's environment so it talks to this sandbox. */
  env: SandboxEnv;
  /** Where the sandbox sends the platform application's interactions (an own bot's: that URL + /<application id>). */
  setInteractionsEndpoint: (url: string) => void;
  close: () => Promise<void>;
};

export type StartDiscordSandboxOptions = {
  port?: number;
  host?: string;
  credentials?: WorldOptions;
  /** The app's interactions endpoint (default http://localhost:3000/api/discord/interactions). */
  interactionsUrl?: string;
};

export async function startDiscordSandbox(options: StartDiscordSandboxOptions = {}): Promise<DiscordSandbox> {
  const credentials = options.credentials ?? SANDBOX_CREDENTIALS;
  const fake = new DiscordFake();
  let world = seed(fake, credentials);
  const admin = createAdminHandler(fake, () => {
    world = seed(fake, credentials);
  });

  const endpoint = { url: options.interactionsUrl ?? "http://localhost:3000/api/discord/interactions" };
  const review = createSandboxReviewHandler({ fake, platformApplicationId: () => credentials.clientId, endpoint });

  const server = http.createServer((req, res) => {
    void serve(req, res, async (request) =>
      new URL(request.url).pathname.startsWith("/_sandbox")
        ? ((await review(request)) ?? admin(request))
        : fake.handle(request),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? SANDBOX_PORT, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    fake,
    world: () => world,
    url,
    env: sandboxEnv(url, credentials),
    setInteractionsEndpoint: (next) => {
      endpoint.url = next.replace(/\/+$/, "");
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type SandboxEnv = {
  DISCORD_API_BASE_URL: string;
  DISCORD_AUTHORIZE_URL: string;
  DISCORD_CLIENT_ID: string;
  DISCORD_CLIENT_SECRET: string;
  DISCORD_TOKEN: string;
  /** The sandbox application's Ed25519 public key: the app verifies the sandbox's interactions with it. */
  DISCORD_PUBLIC_KEY: string;
};

export function sandboxEnv(url: string, credentials: WorldOptions = SANDBOX_CREDENTIALS): SandboxEnv {
  return {
    DISCORD_API_BASE_URL: `${url}/api/v10`,
    DISCORD_AUTHORIZE_URL: `${url}/oauth2/authorize`,
    DISCORD_CLIENT_ID: credentials.clientId,
    DISCORD_CLIENT_SECRET: credentials.clientSecret,
    DISCORD_TOKEN: credentials.botToken,
    DISCORD_PUBLIC_KEY: fakeApplicationKeys(credentials.clientId).publicKeyHex,
  };
}

function seed(fake: DiscordFake, credentials: WorldOptions): StandardWorld {
  fake.reset();
  fake.configureRateLimits(structuredClone(DISCORD_LIKE_LIMITS));
  return seedStandardWorld(fake.model, credentials);
}

/** Node request -> fetch Request -> the fake -> node response; `Response.error()` destroys the socket. */
async function serve(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handle: (request: Request) => Promise<Response>,
) {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
      else if (value !== undefined) headers.set(name, value);
    }
    const method = req.method ?? "GET";
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" || chunks.length === 0 ? undefined : Buffer.concat(chunks),
    });
    const response = await handle(request);
    if (response.type === "error") {
      req.socket.destroy();
      return;
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch {
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ message: "500: Internal Server Error", code: 0 }));
  }
}

async function body(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function createAdminHandler(fake: DiscordFake, reseed: () => void) {
  const m = fake.model;
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "");
    const key = `${request.method} ${path}`;
    try {
      if (key === "GET /_sandbox") return json(snapshot(fake));
      const dms = await handleSandboxDms(m, request);
      if (dms) return dms;
      if (key === "POST /_sandbox/reset") {
        reseed();
        return json({ ok: true });
      }
      if (key === "POST /_sandbox/faults") {
        const fault = (await body(request)) as Fault;
        if (typeof fault.route !== "string")
          return json(
            { error: 'route is required (e.g. "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}" or "*")' },
            400,
          );
        fake.injectFault(fault);
        return json({ pending: fake.faults.pending() }, 201);
      }
      if (key === "DELETE /_sandbox/faults") {
        fake.faults.clear();
        return json({ pending: [] });
      }
      if (key === "POST /_sandbox/rate-limits") {
        fake.configureRateLimits((await body(request)) as Partial<RateLimitConfig>);
        return json(fake.limits.config);
      }
      if (key === "POST /_sandbox/nonce-window") {
        // How long Create Message dedupes an enforced nonce: shorten it to try a retry that comes after the window.
        const ms = Number((await body(request)).ms);
        if (!Number.isInteger(ms) || ms < 0) return json({ error: "ms must be a whole number, 0 or more" }, 400);
        m.nonceWindowMs = ms;
        return json({ nonceWindowMs: ms });
      }
      if (key === "GET /_sandbox/requests") {
        const route = url.searchParams.get("route") ?? undefined;
        const recorded = fake.requests(route).slice(-200);
        return json(
          recorded.map((r) => ({
            ...r,
            headers: { ...r.headers, ...(r.headers.authorization ? { authorization: "[redacted]" } : {}) },
          })),
        );
      }
      if (key === "POST /_sandbox/users") {
        const input = await body(request);
        const user = m.addUser({
          id: input.id as string | undefined,
          username: String(input.username ?? "sandbox_user"),
          globalName: (input.globalName as string) ?? null,
        });
        return json(user, 201);
      }
      if (key === "POST /_sandbox/guilds") {
        const input = await body(request);
        const guild = m.addGuild({
          id: input.id as string | undefined,
          name: String(input.name ?? "Sandbox guild"),
          ownerId: String(input.ownerId),
        });
        return json({ id: guild.id, name: guild.name }, 201);
      }
      const guildMatch = /^\/_sandbox\/guilds\/(\d+)\/(members|roles|bot)$/.exec(path);
      if (request.method === "POST" && guildMatch) {
        const [, guildId, what] = guildMatch as unknown as [string, string, string];
        const input = await body(request);
        if (what === "members") {
          m.addMember(guildId, String(input.userId), (input.roleIds as string[]) ?? []);
          return json({ ok: true }, 201);
        }
        if (what === "roles") {
          const role = m.addRole(guildId, {
            name: String(input.name),
            position: input.position as number | undefined,
            permissions: (input.permissions as string) ?? "0",
          });
          return json({ id: role.id, name: role.name, position: role.position }, 201);
        }
        const role = m.addBotToGuild(guildId, String(input.applicationId), {
          permissions: input.permissions ? BigInt(input.permissions as string) : PERMISSIONS.MANAGE_ROLES,
        });
        return json({ roleId: role.id }, 201);
      }
      return json({ error: `unknown admin route ${key}` }, 404);
    } catch (error) {
      return json({ error: error instanceof Error ? error.message : "bad request" }, 400);
    }
  };
}

function snapshot(fake: DiscordFake) {
  const m = fake.model;
  return {
    applications: [...m.applications.values()].map((a) => ({ id: a.id, name: a.name, botUserId: a.botUserId })),
    users: [...m.users.values()],
    guilds: [...m.guilds.values()].map((g) => ({
      id: g.id,
      name: g.name,
      ownerId: g.ownerId,
      roles: [...g.roles.values()].map((r) => ({ id: r.id, name: r.name, position: r.position, managed: r.managed })),
      members: [...g.members.values()].map((mem) => ({ userId: mem.userId, roleIds: [...mem.roleIds] })),
    })),
    dms: [...m.dmChannels.values()].map((d) => ({
      channelId: d.id,
      botUserId: d.botUserId,
      recipientId: d.recipientId,
      messages: m.channelMessages(d.id).length,
    })),
    dmsClosed: [...m.dmsClosed],
    faults: fake.faults.pending(),
    rateLimits: fake.limits.config,
    requests: fake.recorded.length,
  };
}
