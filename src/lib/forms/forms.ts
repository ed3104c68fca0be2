// An organization's application forms. Every organization has one default form (created on first use for
// organizations made before forms existed or by code that does not create one): the old /apply/<org>, the old
// questions routes and API submissions without a form name use it.
import { z } from "zod";
import type { ApplicationForm } from "@/generated/prisma/client";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";

export const DEFAULT_FORM_SLUG = "apply";
export const MAX_FORMS = 20;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** Addresses under /apply/<org>/ the apply pages use themselves. */
const RESERVED_FORM_SLUGS = new Set(["status"]);

export const formSlug = z
  .string()
  .trim()
  .regex(SLUG, "Use 1 to 40 lowercase letters, digits and dashes.")
  .refine((slug) => !RESERVED_FORM_SLUGS.has(slug), "“status” is the applicant's own page: pick another address.");

export const formInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  slug: formSlug,
  description: z.string().trim().max(1000).default(""),
  isOpen: z.boolean().default(true),
  // Who may apply (issue 14): null follows the organization's default (src/lib/applicants/settings.ts).
  minAccountAgeDays: z.number().int().min(0).max(3650).nullable().optional(),
  rejectCooldownDays: z.number().int().min(0).max(365).nullable().optional(),
});
export type FormInput = z.infer<typeof formInputSchema>;

export const formUpdateSchema = formInputSchema.partial().strict();
export type FormUpdate = z.infer<typeof formUpdateSchema>;

type Client = Db | Tx;

/** The default form, created when the organization has none yet (concurrent callers end with the same row). */
export async function ensureDefaultForm({
  organizationId,
  db = defaultDb,
}: {
  organizationId: string;
  db?: Client;
}): Promise<ApplicationForm> {
  const existing = await db.applicationForm.findFirst({ where: { organizationId, isDefault: true } });
  if (existing) return existing;
  await db.$executeRaw`
    INSERT INTO "ApplicationForm" ("organizationId", slug, name, "isDefault", "updatedAt")
    VALUES (${organizationId}::uuid, ${DEFAULT_FORM_SLUG}, 'Application', true, now())
    ON CONFLICT DO NOTHING`;
  const created = await db.applicationForm.findFirst({ where: { organizationId, isDefault: true } });
  if (!created)
    throw new AppError("conflict", "The default form could not be created; a form already uses the slug “apply”.");
  return created;
}

export type ListFormsOptions = { organizationId: string; db?: Client; openOnly?: boolean };

export async function listForms({
  organizationId,
  db = defaultDb,
  openOnly,
}: ListFormsOptions): Promise<ApplicationForm[]> {
  await ensureDefaultForm({ organizationId, db });
  return db.applicationForm.findMany({
    where: { organizationId, ...(openOnly ? { isOpen: true } : {}) },
    orderBy: [{ isDefault: "desc" }, { position: "asc" }, { createdAt: "asc" }],
  });
}

export type GetFormOptions = { organizationId: string; slug?: string | null; db?: Client };

/** A form by slug, or the default form when no slug is given; `not_found` (404) otherwise. */
export async function getFormOrThrow({
  organizationId,
  slug,
  db = defaultDb,
}: GetFormOptions): Promise<ApplicationForm> {
  if (slug === undefined || slug === null) return ensureDefaultForm({ organizationId, db });
  const found = SLUG.test(slug)
    ? await db.applicationForm.findUnique({ where: { organizationId_slug: { organizationId, slug } } })
    : null;
  if (!found) {
    if (slug === DEFAULT_FORM_SLUG) return ensureDefaultForm({ organizationId, db });
    throw new AppError("not_found", "No such form.");
  }
  return found;
}

export type CreateFormOptions = { organizationId: string; input: FormInput; actor: AuditActor; ip?: string | null };

export async function createForm({ organizationId, input, actor, ip }: CreateFormOptions): Promise<ApplicationForm> {
  await ensureDefaultForm({ organizationId });
  return defaultDb.$transaction(async (tx) => {
    const count = await tx.applicationForm.count({ where: { organizationId } });
    if (count >= MAX_FORMS) throw new AppError("bad_request", `An organization can have at most ${MAX_FORMS} forms.`);
    const taken = await tx.applicationForm.findUnique({
      where: { organizationId_slug: { organizationId, slug: input.slug } },
    });
    if (taken) throw new AppError("already_exists", `A form already uses the address “${input.slug}”.`);
    const form = await tx.applicationForm.create({ data: { organizationId, ...input, position: count } });
    await recordAudit({
      db: tx,
      organizationId,
      actor,
      action: "form.create",
      targetType: "form",
      targetId: form.id,
      outcome: "SUCCESS",
      metadata: { slug: form.slug },
      ip,
    });
    return form;
  });
}

export type UpdateFormOptions = {
  organizationId: string;
  slug: string;
  input: FormUpdate;
  actor: AuditActor;
  ip?: string | null;
};

export async function updateForm({
  organizationId,
  slug,
  input,
  actor,
  ip,
}: UpdateFormOptions): Promise<ApplicationForm> {
  return defaultDb.$transaction(async (tx) => {
    const form = await getFormOrThrow({ organizationId, slug, db: tx });
    if (input.slug && input.slug !== form.slug) {
      const taken = await tx.applicationForm.findUnique({
        where: { organizationId_slug: { organizationId, slug: input.slug } },
      });
      if (taken) throw new AppError("already_exists", `A form already uses the address “${input.slug}”.`);
    }
    const updated = await tx.applicationForm.update({ where: { id: form.id }, data: input });
    await recordAudit({
      db: tx,
      organizationId,
      actor,
      action: "form.update",
      targetType: "form",
      targetId: form.id,
      outcome: "SUCCESS",
      metadata: { changed: Object.keys(input), ...(input.isOpen !== undefined ? { isOpen: input.isOpen } : {}) },
      ip,
    });
    return updated;
  });
}
