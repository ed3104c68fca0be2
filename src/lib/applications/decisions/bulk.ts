// Bulk review: one action over many applications, each on its own (one transaction per item, as if clicked one by
// one), with a result per item, so one conflict or illegal state does not hide the others.
import { z } from "zod";
import type { Application } from "@/generated/prisma/client";
import { isAppError } from "@/lib/errors/app-error";
import { MAX_REJECT_REASON, retryRoleAssignment, updateApplicationStatus } from "@/lib/applications/decisions/review";

export const MAX_BULK = 100;

export const bulkInputSchema = z.strictObject({
  action: z.enum(["approve", "reject", "retry"]),
  applicationIds: z.array(z.string()).min(1).max(MAX_BULK),
  /** For "reject": one reason for every application (the organization may require one). */
  reason: z.string().trim().max(MAX_REJECT_REASON).optional(),
});
export type BulkInput = z.infer<typeof bulkInputSchema>;

export type BulkItemResult =
  { id: string; ok: true; application: Application } | { id: string; ok: false; code: string; message: string };

export type BulkReviewOptions = { organizationId: string; actorId: string; input: BulkInput; ip?: string | null };

export async function bulkReview({ organizationId, actorId, input, ip }: BulkReviewOptions): Promise<BulkItemResult[]> {
  const results: BulkItemResult[] = [];
  for (const id of [...new Set(input.applicationIds)]) {
    try {
      const application =
        input.action === "retry"
          ? await retryRoleAssignment({ applicationId: id, organizationId, actorId, ip })
          : await updateApplicationStatus({
              applicationId: id,
              organizationId,
              status: input.action === "approve" ? "APPROVED" : "REJECTED",
              reviewerId: actorId,
              reason: input.action === "reject" ? input.reason : undefined,
              ip,
            });
      results.push({ id, ok: true, application });
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      results.push({ id, ok: false, code: error.code, message: error.message });
    }
  }
  return results;
}
