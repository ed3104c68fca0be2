// The review-channel task the job runner serves.
import type { TaskList } from "graphile-worker";
import { SYNC_REVIEW_MESSAGE_TASK, type SyncReviewMessagePayload } from "./enqueue";
import { DEFAULT_REVIEW_MESSAGE_SETTINGS, type ReviewMessageSettings, runSyncReviewMessage } from "./sync-task";

export function createReviewChannelTasks(settings: ReviewMessageSettings = DEFAULT_REVIEW_MESSAGE_SETTINGS): TaskList {
  return {
    [SYNC_REVIEW_MESSAGE_TASK]: async (payload) => runSyncReviewMessage(payload as SyncReviewMessagePayload, settings),
  };
}
