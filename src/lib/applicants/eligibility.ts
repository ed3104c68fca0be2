// Who may apply to a form (issue 14): the form is open, the applicant is not blocked, their Discord account is old
// enough (from the snowflake's timestamp) and a recent rejection's cooldown is over. One check for the apply page
// (before the applicant fills anything in), the web submission and the API; a refusal writes nothing.
import type { ApplicationForm } from "@/generated/prisma/client";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { isSnowflake, snowflakeTimestamp } from "@/lib/discord/ids";
import { AppError } from "@/lib/errors/app-error";
import { getApplicantSettings, type ApplicantSettingsView } from "./settings";

const DAY_MS = 24 * 60 * 60 * 1000;

export type IneligibleCode = "form_closed" | "applicant_blocked" | "account_too_new" | "cooldown_active";

export type Ineligible = {
  code: IneligibleCode;
  /** Words for the applicant: what stops them and, when it ends, from when they can apply. */
  message: string;
  /** When the applicant may apply (account old enough, cooldown over); null when it does not end by itself. */
  eligibleAt: Date | null;
};

export type FormRequirements = Pick<
  ApplicationForm,
  "id" | "name" | "isOpen" | "minAccountAgeDays" | "rejectCooldownDays"
>;

/** The requirements in force for a form: its own, or the organization's default. */
export function effectiveRequirements(form: FormRequirements, settings: ApplicantSettingsView) {
  return {
    minAccountAgeDays: form.minAccountAgeDays ?? settings.minAccountAgeDays,
    rejectCooldownDays: form.rejectCooldownDays ?? settings.rejectCooldownDays,
  };
}

const day = (date: Date) => new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(date);

export type CheckEligibilityOptions = {
  organizationId: string;
  form: FormRequirements;
  /** Null for API submissions about someone without Discord: only the open/closed switch applies. */
  applicantDiscordId: string | null;
  db?: Db | Tx;
  now?: Date;
};

export async function checkEligibility(options: CheckEligibilityOptions): Promise<Ineligible | null> {
  const { organizationId, form, applicantDiscordId } = options;
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  if (!form.isOpen)
    return {
      code: "form_closed",
      message: `The form “${form.name}” is closed and takes no applications right now.`,
      eligibleAt: null,
    };
  if (!applicantDiscordId) return null;
  const settings = await getApplicantSettings({ organizationId, db });
  if (settings.blockedUserIds.includes(applicantDiscordId))
    return { code: "applicant_blocked", message: "This Discord account may not apply here.", eligibleAt: null };
  const { minAccountAgeDays, rejectCooldownDays } = effectiveRequirements(form, settings);
  if (minAccountAgeDays > 0 && isSnowflake(applicantDiscordId)) {
    const created = snowflakeTimestamp(applicantDiscordId);
    const eligibleAt = new Date(created.getTime() + minAccountAgeDays * DAY_MS);
    if (eligibleAt > now) {
      const ageDays = Math.max(0, Math.floor((now.getTime() - created.getTime()) / DAY_MS));
      return {
        code: "account_too_new",
        message: `Your Discord account must be at least ${minAccountAgeDays} days old to apply; it is ${ageDays} ${ageDays === 1 ? "day" : "days"} old. You can apply from ${day(eligibleAt)}.`,
        eligibleAt,
      };
    }
  }
  if (rejectCooldownDays > 0) {
    const since = new Date(now.getTime() - rejectCooldownDays * DAY_MS);
    const rejected = await db.application.findFirst({
      where: {
        organizationId,
        formId: form.id,
        applicantDiscordId,
        status: "REJECTED",
        reviewedAt: { gt: since },
      },
      orderBy: { reviewedAt: "desc" },
      select: { reviewedAt: true },
    });
    if (rejected?.reviewedAt) {
      const eligibleAt = new Date(rejected.reviewedAt.getTime() + rejectCooldownDays * DAY_MS);
      return {
        code: "cooldown_active",
        message: `Your last application was not accepted on ${day(rejected.reviewedAt)}. You can apply again from ${day(eligibleAt)}.`,
        eligibleAt,
      };
    }
  }
  return null;
}

/** The same as an AppError with the stable code (the route's status comes from the one table). */
export async function assertEligible(options: CheckEligibilityOptions): Promise<void> {
  const refusal = await checkEligibility(options);
  if (!refusal) return;
  throw new AppError(refusal.code, refusal.message, {
    details: { eligibleAt: refusal.eligibleAt?.toISOString() ?? null },
  });
}
