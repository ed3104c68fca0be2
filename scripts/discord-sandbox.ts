// `npm run discord:sandbox`: the local Discord (see tests/fakes/discord/sandbox.ts) on port 3901 (PORT to change).
// Point the app at it with the variables it prints; `npm run dev` does that by itself when no Discord client id is set.
import { startDiscordSandbox } from "../tests/fakes/discord/sandbox";

const sandbox = await startDiscordSandbox({ port: Number(process.env.DISCORD_SANDBOX_PORT ?? 3901) });
const world = sandbox.world();
console.log(
  `[discord-sandbox] listening on ${sandbox.url} (direct messages the bot sent: ${sandbox.url}/_sandbox/dms)`,
);
console.log(
  `[discord-sandbox] authorize page: ${sandbox.env.DISCORD_AUTHORIZE_URL}?client_id=${world.platform.id}&response_type=code&scope=identify%20bot&permissions=268435456&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fapi%2Fdiscord%2Fbot-callback`,
);
console.log(
  `[discord-sandbox] users: ${world.admin.globalName} (${world.admin.id}), ${world.applicant.globalName} (${world.applicant.id}); guild: ${world.guild.name} (${world.guild.id})`,
);
console.log("[discord-sandbox] app environment:");
for (const [k, v] of Object.entries(sandbox.env)) console.log(`  ${k}=${v}`);
console.log(
  `[discord-sandbox] admin API: GET ${sandbox.url}/_sandbox, POST /_sandbox/faults {"route":"PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}","status":500,"times":3}`,
);

const stop = () => void sandbox.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
