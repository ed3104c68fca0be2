// Reads scoped to the organization from the authorized context.
import type { Application } from "@/generated/prisma/client";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { isUuid } from "@/lib/http/input";

export type GetApplicationOptions = { organizationId: string; applicationId: string; db?: Db | Tx };

export async function getApplicationOrThrow(options: GetApplicationOptions): Promise<Application> {
  const client = options.db ?? defaultDb;
  // A malformed id cannot name a row; checking here keeps it from reaching the uuid cast as a 500.
  const found = isUuid(options.applicationId)
    ? await client.application.findFirst({
        where: { id: options.applicationId, organizationId: options.organizationId },
      })
    : null;
  if (!found) throw new AppError("not_found", "No such application.");
  return found;
}
