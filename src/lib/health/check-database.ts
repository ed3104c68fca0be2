import { db } from "@/lib/db";

export type DatabaseHealth = "ok" | "down";

export type CheckDatabaseOptions = { timeoutMs?: number };

/** `SELECT 1` with a deadline: a hung connection reports "down" instead of hanging the health check. */
export async function checkDatabase(options: CheckDatabaseOptions = {}): Promise<DatabaseHealth> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<DatabaseHealth>((resolve) => {
    timer = setTimeout(() => resolve("down"), timeoutMs);
  });
  const probe = db.$queryRaw`SELECT 1`.then(
    () => "ok" as const,
    () => "down" as const,
  );
  try {
    return await Promise.race([probe, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
