// Creating an organization: the creator becomes its OWNER, in one transaction with the audit row.
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { SLUG_PATTERN, type OrganizationSummary } from "@/lib/security/org-access";
import { limitOrganizationCreate } from "@/lib/rate-limit";

/** Paths under /dashboard and /apply that a slug must not shadow. */
const RESERVED_SLUGS = new Set([
  "new",
  "api",
  "admin",
  "settings",
  "signin",
  "signout",
  "dashboard",
  "apply",
  "login",
  "logout",
]);

export const slugSchema = z
  .string()
  .min(3, "must be at least 3 characters")
  .max(48, "must be at most 48 characters")
  .regex(SLUG_PATTERN, "use lowercase letters, digits and single hyphens, starting and ending with a letter or digit")
  .refine((s) => !s.includes("--"), "use single hyphens")
  .refine((s) => !RESERVED_SLUGS.has(s), "this name is reserved");

export const createOrganizationInput = z.object({
  name: z.string().trim().min(2, "must be at least 2 characters").max(100, "must be at most 100 characters"),
  slug: slugSchema.optional(),
});

export type CreateOrganizationInput = z.infer<typeof createOrganizationInput>;

/** "My Guild!" -> "my-guild". Used when no slug is given. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
}

export type CreateOrganizationOptions = {
  userId: string;
  input: CreateOrganizationInput;
  ip?: string | null;
  db?: Db;
};

export async function createOrganization(options: CreateOrganizationOptions): Promise<OrganizationSummary> {
  const client = options.db ?? defaultDb;
  const slug = options.input.slug ?? slugify(options.input.name);
  const parsed = slugSchema.safeParse(slug);
  if (!parsed.success) {
    throw new AppError("validation_failed", "Choose a different address (slug) for the organization.", {
      details: [{ path: "slug", message: parsed.error.issues[0]?.message ?? "invalid" }],
    });
  }
  // Each organization may spend its own share of Discord's invalid-request budget: creating them is limited per user.
  await limitOrganizationCreate(options.userId);
  try {
    return await client.$transaction(async (tx) => {
      const organization = await tx.organization.create({
        data: { slug, name: options.input.name },
        select: { id: true, slug: true, name: true, status: true },
      });
      await tx.membership.create({ data: { organizationId: organization.id, userId: options.userId, role: "OWNER" } });
      await recordAudit({
        db: tx,
        organizationId: organization.id,
        actor: { userId: options.userId },
        action: "organization.create",
        targetType: "organization",
        targetId: organization.id,
        outcome: "SUCCESS",
        metadata: { slug },
        ip: options.ip,
      });
      return organization;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("already_exists", "An organization with this address already exists.", {
        details: [{ path: "slug", message: "Another organization already uses this URL name; pick another." }],
      });
    }
    throw error;
  }
}
