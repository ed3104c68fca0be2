// The /api/metrics body: the process's registry, after refreshing the gauges that are read from PostgreSQL at
// scrape time (queue depth and age are the cluster's: every replica reports the same value).
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { readQueueStats } from "@/lib/jobs/queue-stats";
import { logger, safeErrorFields } from "@/lib/logger";
import { processMetrics } from "@/lib/metrics/registry";

export type MetricsAccessOptions = { authorization: string | null };

/**
 * Refuses anonymous scrapes: 404 (the endpoint is not there) without a configured METRICS_TOKEN, 401 with a
 * wrong or missing bearer token. METRICS_PUBLIC=true opens it.
 */
export function assertMetricsAccess(options: MetricsAccessOptions): void {
  if (env.METRICS_PUBLIC) return;
  if (!env.METRICS_TOKEN) throw new AppError("not_found", "Not found.");
  if (!hasMetricsAccess(options)) {
    throw new AppError("unauthorized", "Send the metrics token as Authorization: Bearer <METRICS_TOKEN>.");
  }
}

/** Whether the request carries the metrics token (or metrics are public): operators' details, e.g. /api/ready's. */
export function hasMetricsAccess(options: MetricsAccessOptions): boolean {
  if (env.METRICS_PUBLIC) return true;
  const expected = env.METRICS_TOKEN;
  if (!expected) return false;
  const given = /^Bearer (.+)$/i.exec(options.authorization ?? "")?.[1] ?? "";
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export type MetricsText = { contentType: string; body: string };

export async function renderMetrics(): Promise<MetricsText> {
  const metrics = processMetrics();
  try {
    const stats = await readQueueStats();
    metrics.queueDepth.reset();
    for (const row of stats.tasks) metrics.queueDepth.set({ task: row.task, state: row.state }, row.count);
    metrics.queueOldest.set(stats.oldestReadySeconds);
  } catch (error) {
    // The database is down: the process's own series are still worth scraping; the queue gauges go stale.
    logger.warn({ err: safeErrorFields(error) }, "metrics: could not read the job queue");
  }
  return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
}
