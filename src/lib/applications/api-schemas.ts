// The public API's request and response shapes as zod schemas: the routes parse with them, and the OpenAPI
// document (src/lib/openapi) is generated from them. A contract test checks real responses against the document.
import { z } from "zod";
import { ApplicationSource, ApplicationStatus, QuestionKind, RoleAssignmentStatus } from "@/generated/prisma/enums";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors/app-error";
import { errorCodeReference } from "@/lib/errors/error-meanings";

export const applicationSubmission = z
  .object({
    // Validated as a snowflake by submitApplication (400 invalid_discord_user_id); null: no Discord account.
    discordUserId: z.unknown().meta({
      description:
        "The applicant's Discord user id (snowflake string), or null when they have none. Any valid id is accepted, " +
        "but the bot sends decision messages (DMs) to it only while that user is a member of the organization's " +
        "Discord server; otherwise the message is recorded as not delivered (code recipient_not_verified).",
      type: ["string", "null"],
    } as never),
    applicantName: z.string().trim().min(1).max(100),
    answers: z.record(z.string(), z.unknown()).default({}).meta({
      description:
        "Answers keyed by each question's stable key (GET /api/v1/forms/{form} lists them) or by question id.",
    }),
    form: z
      .string()
      .max(64)
      .optional()
      .meta({ description: "The form's slug (GET /api/v1/forms); the organization's default form without it." }),
  })
  .meta({ id: "ApplicationSubmission" });

const isoDate = z.iso.datetime({ offset: true });

const roleOutcome = z.object({
  roleId: z.string(),
  roleName: z.string().nullable(),
  action: z.enum(["add", "remove"]),
  result: z.enum(["added", "removed", "already_present", "already_absent", "member_left", "failed"]),
  code: z.string().optional(),
  message: z.string().optional(),
  transient: z.boolean().optional(),
  detail: z.string().optional(),
});

export const applicationDto = z
  .object({
    id: z.uuid(),
    applicantDiscordId: z.string().nullable(),
    applicantName: z.string(),
    answers: z.unknown().meta({ description: "The answers with each question's wording at the time of applying." }),
    source: z.enum(ApplicationSource),
    formId: z.uuid().nullable().meta({ description: "The form applied through (GET /api/v1/forms)." }),
    status: z.enum(ApplicationStatus),
    roleAssignment: z.object({
      status: z.enum(RoleAssignmentStatus),
      errorCode: z.string().nullable(),
      errorMessage: z.string().nullable(),
      roles: z.array(roleOutcome).meta({ description: "The outcome per role of the last role job." }),
      handledManuallyAt: isoDate.nullable().meta({ description: "When an admin marked the role handled by hand." }),
      attemptedAt: isoDate.nullable(),
      assignedAt: isoDate.nullable(),
      attempts: z.int(),
      retryCount: z.int(),
      retriesLeft: z.int(),
    }),
    revocation: z
      .object({ revokedAt: isoDate, revokedById: z.uuid().nullable(), reason: z.string().nullable() })
      .nullable()
      .meta({ description: "Set once an admin revoked the approval." }),
    rejection: z
      .object({ reason: z.string().nullable() })
      .nullable()
      .meta({ description: "Set once rejected: the reason the reviewer gave (null when none)." }),
    reviewedById: z.uuid().nullable(),
    reviewedAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
    version: z.int(),
  })
  .meta({ id: "Application" });

export const applicationResponse = z.object({ application: applicationDto }).meta({ id: "ApplicationResponse" });

export const applicationPage = z
  .object({
    items: z.array(applicationDto),
    nextCursor: z.string().nullable().meta({ description: "Pass as ?cursor= for the next page; null on the last." }),
  })
  .meta({ id: "ApplicationPage" });

const snowflake = z
  .string()
  .regex(/^\d{17,20}$/)
  .meta({ description: "A Discord id (snowflake string)." });

/** Documented shape of POST /api/discord/assign-role (the route checks each id itself, for its own error code). */
export const assignRoleRequest = z
  .object({ guild_id: snowflake, user_id: snowflake, role_id: snowflake })
  .meta({ id: "AssignRoleRequest" });

export const assignRoleResult = z
  .object({ assigned: z.literal(true), guildId: z.string(), userId: z.string(), roleId: z.string() })
  .meta({ id: "AssignRoleResult" });

export const errorBody = z
  .object({
    error: z.object({
      code: z
        .enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]])
        .meta({ description: `Stable; switch on it. Every code, its status and meaning:\n${errorCodeReference()}` }),
      message: z.string().meta({ description: "What is wrong, in words." }),
      details: z.unknown().optional().meta({ description: "For validation_failed: [{ path, message }] per field." }),
      requestId: z.string(),
    }),
  })
  .meta({ id: "Error" });

// GET /api/v1/forms and /api/v1/forms/{formSlug} (src/lib/forms/dto.ts builds the bodies).
const questionDto = z.object({
  id: z.uuid(),
  key: z.string().meta({ description: "Stable: POST /api/v1/applications accepts answers under it." }),
  label: z.string(),
  helpText: z.string().nullable(),
  kind: z.enum(Object.values(QuestionKind) as [QuestionKind, ...QuestionKind[]]),
  required: z.boolean(),
  options: z.array(z.string()).meta({ description: "The choices of SINGLE_CHOICE and MULTIPLE_CHOICE." }),
  minLength: z.number().int().nullable(),
  maxLength: z.number().int().nullable(),
  min: z.number().nullable().meta({ description: "Lower bound of a NUMBER answer." }),
  max: z.number().nullable().meta({ description: "Upper bound of a NUMBER answer." }),
  position: z.number().int(),
});

export const formDto = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    isOpen: z.boolean(),
    isDefault: z.boolean(),
    roleRule: z.object({
      approveAddRoleIds: z.array(z.string()),
      approveRemoveRoleIds: z.array(z.string()),
      rejectAddRoleId: z.string().nullable(),
      restoreOnRevoke: z.boolean(),
    }),
    requirements: z
      .object({
        minAccountAgeDays: z.number().int().nullable(),
        rejectCooldownDays: z.number().int().nullable(),
      })
      .meta({
        description:
          "Who may apply to this form; null: the organization's default (Settings → Applicants). A refused applicant gets 403 account_too_new or 409 cooldown_active.",
      }),
    questions: z.array(questionDto).optional().meta({ description: "Only on GET /api/v1/forms/{formSlug}." }),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: "Form" });

export const formList = z.object({ forms: z.array(formDto) }).meta({ id: "FormList" });

export const formResponse = z.object({ form: formDto }).meta({ id: "FormResponse" });

/**
 * Who may apply (issue 14): the codes POST /api/v1/applications refuses an applicant with, per status, for the
 * OpenAPI document. Nothing is written; `details.eligibleAt` says when a refusal that ends by itself ends.
 */
export const SUBMISSION_REFUSALS = {
  403: "The token lacks the scope (`forbidden`), or the applicant may not apply: `applicant_blocked` (on the organization's blocklist), `account_too_new` (the Discord account is younger than the form's minimum age; `details.eligibleAt`).",
  409: "The state does not allow it: `already_exists` (an open or approved application for this form), `form_closed`, `cooldown_active` (rejected within the form's cooldown; `details.eligibleAt`), `conflict`, or `organization_suspended`.",
} as const;
