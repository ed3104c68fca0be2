// The scheduled OAuth refresh as a job-runner task: every 10 minutes, renew the organizations' Discord OAuth grants
// that expire within the next 30 minutes, so a grant is never left to lapse between uses. Several runners may
// fire it at once; the token service's advisory lock makes that one Discord call per grant.
import type { TaskList } from "graphile-worker";
import { refreshExpiringTokens } from "./token-service";

export const OAUTH_REFRESH_TASK = "refresh-discord-oauth-tokens";
export const OAUTH_REFRESH_CRONTAB = `*/10 * * * * ${OAUTH_REFRESH_TASK}`;

export type OAuthRefreshTaskOptions = {
  /** Test seam: the refresh to run (default the token service's). */
  refresh?: () => Promise<{ refreshed: number; failed: number }>;
};

export function createOAuthRefreshTasks(options: OAuthRefreshTaskOptions = {}): TaskList {
  const refresh = options.refresh ?? (() => refreshExpiringTokens());
  return {
    [OAUTH_REFRESH_TASK]: async (_payload, helpers) => {
      const result = await refresh();
      // Failures are per organization and already logged; the task itself succeeds so cron does not retry it.
      helpers.logger.info(`refreshed ${result.refreshed} Discord OAuth grant(s), ${result.failed} failed`);
    },
  };
}
