-- rate-limiter-flexible's PostgreSQL store (src/lib/rate-limit/): one row per limiter key and window, shared by
-- every process. UNLOGGED: the counters are disposable (a crash only restarts their windows) and writing them
-- must not cost WAL on every Discord call.
CREATE UNLOGGED TABLE "RateLimit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "RateLimit_expire_idx" ON "RateLimit"("expire");
