// Route parameters and queries of the webhook routes: ids are UUIDs (a malformed one is a 404, not a failed cast).
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { isUuid } from "@/lib/http/input";

const id = z.string().transform((value) => {
  if (!isUuid(value)) throw new AppError("not_found", "No such webhook endpoint or delivery in this organization.");
  return value.toLowerCase();
});

export const endpointParams = z.object({ endpointId: id });
export const deliveryParams = z.object({ endpointId: id, deliveryId: id });

export const deliveriesQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
