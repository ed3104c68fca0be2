// A second (and third) application process for the tests that prove state is shared across processes: started with
// `tsx`, it imports the app's own modules against the test database and the HTTP Discord sandbox, and runs the
// operations the parent test sends over IPC. Nothing here is a stub: each op is the product's own lib call.
import { forgetBotReads } from "@/lib/bot-connection/discord-reads";
import { checkGuildHealth } from "@/lib/bot-connection/guild-health";
import { setOwnBot, type OwnBotInput } from "@/lib/bot-connection/own-bot";
import { createDiscordClient, type DiscordClientKind, resetDiscordClients } from "@/lib/discord/client";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { defaultTokenResolver } from "@/lib/discord/token-resolver";
import { resetEnvCache } from "@/lib/env";
import { resetRequestLimits } from "@/lib/rate-limit";
import { completeSignIn, startSignIn } from "@/lib/security/discord-sign-in";

export type AppProcessOp =
  | { op: "ready" }
  /** Sets environment variables (a new sandbox, limit settings) and drops everything cached from the old ones. */
  | { op: "configure"; env: Record<string, string> }
  | {
      op: "call";
      token: string;
      kind: DiscordClientKind;
      call: "getGuild" | "getGuildRoles" | "addGuildMemberRole";
      args: string[];
    }
  | { op: "health"; organizationId: string; userId?: string | null }
  | { op: "setOwnBot"; organizationId: string; userId: string; input: OwnBotInput }
  | { op: "grantRole"; guildId: string; userId: string; roleId: string }
  | { op: "startSignIn" }
  | { op: "completeSignIn"; query: Record<string, string>; cookieHeader: string; ip: string };

export type AppProcessError = {
  name: string;
  code?: unknown;
  status?: number;
  scope?: string;
  retryAfter?: number;
  message: string;
};
export type AppProcessReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: AppProcessError };

async function run(message: AppProcessOp): Promise<unknown> {
  switch (message.op) {
    case "ready":
      await defaultTokenResolver().listen();
      return process.pid;
    case "configure":
      Object.assign(process.env, message.env);
      resetEnvCache();
      resetDiscordClients();
      resetRequestLimits();
      forgetBotReads();
      defaultTokenResolver().evictAll();
      return "configured";
    case "call": {
      const client = createDiscordClient({ token: message.token, kind: message.kind });
      const [a = "", b = "", c = ""] = message.args;
      if (message.call === "getGuild") return (await client.getGuild(a)).id;
      if (message.call === "getGuildRoles") return (await client.getGuildRoles(a)).length;
      await client.addGuildMemberRole(a, b, c);
      return "added";
    }
    case "health":
      return checkGuildHealth({ organizationId: message.organizationId, userId: message.userId ?? null, fresh: true });
    case "setOwnBot":
      return setOwnBot({ organizationId: message.organizationId, userId: message.userId, input: message.input });
    case "grantRole": {
      // The Discord call an approval's role job makes, through the guild's resolved bot.
      const { client } = await getGuildDiscordClient({ guildId: message.guildId });
      await client.addGuildMemberRole(message.guildId, message.userId, message.roleId, { reason: "approved" });
      return "added";
    }
    case "startSignIn":
      return startSignIn({});
    case "completeSignIn": {
      const result = await completeSignIn({
        query: new URLSearchParams(message.query),
        cookieHeader: message.cookieHeader,
        ip: message.ip,
      });
      return { userId: result.userId };
    }
  }
}

process.on("message", (raw: { id: number } & AppProcessOp) => {
  run(raw).then(
    (value) => process.send!({ id: raw.id, ok: true, value } satisfies AppProcessReply),
    (error: unknown) => {
      const e = error as Record<string, unknown>;
      const reply: AppProcessError = {
        name: error instanceof Error ? error.constructor.name : "unknown",
        code: e.code,
        status: typeof e.status === "number" ? e.status : undefined,
        scope: typeof e.scope === "string" ? e.scope : undefined,
        retryAfter: typeof e.retryAfter === "number" ? e.retryAfter : undefined,
        message: error instanceof Error ? error.message : String(error),
      };
      process.send!({ id: raw.id, ok: false, error: reply } satisfies AppProcessReply);
    },
  );
});
