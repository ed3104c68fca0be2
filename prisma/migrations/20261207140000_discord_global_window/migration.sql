-- Discord's global limit per bot token as a sliding window: the grant times (epoch ms, database clock) of the last
-- N points per token, N the limit. UNLOGGED like RateLimit: the times are disposable (a crash only forgets the
-- last second) and writing them costs no WAL flush.
CREATE UNLOGGED TABLE "DiscordGlobalWindow" (
    "key" VARCHAR(255) NOT NULL,
    "sent" BIGINT[] NOT NULL,
    CONSTRAINT "DiscordGlobalWindow_pkey" PRIMARY KEY ("key")
);
