import { fakeApplicationKeys } from "../fakes/discord/interactions";

// Test defaults for the validated environment. Fixed, obviously-test values: nothing here protects real data.
process.env.LOG_LEVEL ??= "silent";
process.env.APP_URL ??= "http://localhost:3000";
// The tests send X-Forwarded-For as one proxy in front would (the default, 0, believes no such header).
process.env.TRUSTED_PROXY_HOPS ??= "1";
process.env.STATE_SIGNING_SECRET ??= "test-state-signing-secret-0123456789abcdefghijklmnop";
process.env.VAULT_KEYS ??= `1:${Buffer.alloc(32, 7).toString("base64")}`;
process.env.DATABASE_URL ??= "postgresql://unused@127.0.0.1:1/not-an-integration-test";
process.env.DISCORD_API_BASE_URL ??= "https://discord.com/api/v10";
process.env.DISCORD_CLIENT_ID ??= "1100000000000000001";
process.env.DISCORD_CLIENT_SECRET ??= "test-discord-client-secret";
process.env.DISCORD_TOKEN ??= "platform-bot-token.for-tests.only";
// The fake platform application's public key: its interactions (tests/fakes/discord/interactions.ts) verify.
process.env.DISCORD_PUBLIC_KEY ??= fakeApplicationKeys(process.env.DISCORD_CLIENT_ID).publicKeyHex;
process.env.WORKER_IN_PROCESS ??= "false";
