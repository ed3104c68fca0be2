// What an organization tells applicants and who may apply (issue 14): the reject-reason rule, the decision message
// templates, the log channel (a text channel of the organization's guild), the invite link, and the requirements
// every form inherits unless it sets its own.
import { z } from "zod";
import type { ApplicantSettings } from "@/generated/prisma/client";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { resolveGuildChannel } from "@/lib/bot-connection/guild-resources";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { snowflake } from "@/lib/discord/ids";
import { TEMPLATE_MAX, unknownPlaceholders } from "@/lib/notifications/templates";

export const MAX_BLOCKED_USERS = 1000;
export const MAX_ACCOUNT_AGE_DAYS = 3650;
export const MAX_COOLDOWN_DAYS = 365;

const template = z
  .string()
  .max(TEMPLATE_MAX, `Keep a template under ${TEMPLATE_MAX} characters, so the filled-in message fits Discord's 2000.`)
  .superRefine((value, ctx) => {
    const unknown = unknownPlaceholders(value);
    if (unknown.length)
      ctx.addIssue({
        code: "custom",
        message: `Unknown placeholder ${unknown.map((u) => `{${u}}`).join(", ")}: use {applicant}, {server}, {form} or {reason}.`,
      });
  })
  // An empty template means the default.
  .transform((value) => (value.trim() ? value : null))
  .nullable();

// discord.gg/<code>, discord.com/invite/<code> (and discordapp.com): an invite, not any address.
const INVITE = /^https:\/\/(?:discord\.gg|(?:www\.)?discord(?:app)?\.com\/invite)\/[A-Za-z0-9-]{2,64}\/?$/;

export const applicantSettingsInput = z.strictObject({
  rejectReasonRequired: z.boolean().optional(),
  dmOnApprove: z.boolean().optional(),
  dmOnReject: z.boolean().optional(),
  dmOnRevoke: z.boolean().optional(),
  approveTemplate: template.optional(),
  rejectTemplate: template.optional(),
  revokeTemplate: template.optional(),
  logChannelId: snowflake.nullable().optional(),
  inviteUrl: z
    .string()
    .trim()
    .regex(INVITE, "Paste a Discord invite link, like https://discord.gg/abc123.")
    .nullable()
    .optional()
    .or(z.literal("").transform(() => null)),
  minAccountAgeDays: z.number().int().min(0).max(MAX_ACCOUNT_AGE_DAYS).optional(),
  rejectCooldownDays: z.number().int().min(0).max(MAX_COOLDOWN_DAYS).optional(),
  blockedUserIds: z.array(snowflake).max(MAX_BLOCKED_USERS).optional(),
});
export type ApplicantSettingsInput = z.infer<typeof applicantSettingsInput>;

export type ApplicantSettingsView = Omit<ApplicantSettings, "organizationId" | "updatedAt">;

export const DEFAULT_APPLICANT_SETTINGS: ApplicantSettingsView = {
  rejectReasonRequired: false,
  dmOnApprove: true,
  dmOnReject: true,
  dmOnRevoke: true,
  approveTemplate: null,
  rejectTemplate: null,
  revokeTemplate: null,
  logChannelId: null,
  inviteUrl: null,
  minAccountAgeDays: 0,
  rejectCooldownDays: 0,
  blockedUserIds: [],
};

const view = (row: ApplicantSettings | null): ApplicantSettingsView => {
  if (!row) return { ...DEFAULT_APPLICANT_SETTINGS };
  const { organizationId: _o, updatedAt: _u, ...rest } = row;
  return rest;
};

export type GetApplicantSettingsOptions = { organizationId: string; db?: Db | Tx };

export async function getApplicantSettings({
  organizationId,
  db = defaultDb,
}: GetApplicantSettingsOptions): Promise<ApplicantSettingsView> {
  return view(await db.applicantSettings.findUnique({ where: { organizationId } }));
}

export type UpdateApplicantSettingsOptions = {
  organizationId: string;
  input: ApplicantSettingsInput;
  actor: AuditActor;
  ip?: string | null;
};

export async function updateApplicantSettings({
  organizationId,
  input,
  actor,
  ip,
}: UpdateApplicantSettingsOptions): Promise<ApplicantSettingsView> {
  const data = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as ApplicantSettingsInput;
  if (data.blockedUserIds) data.blockedUserIds = [...new Set(data.blockedUserIds)];
  // Only a text channel of the organization's own guild: the platform bot is in other tenants' guilds too.
  if (data.logChannelId) {
    const channel = await resolveGuildChannel({
      organizationId,
      channelId: data.logChannelId,
      use: "log",
      userId: actor.userId ?? null,
      field: "logChannelId",
    });
    data.logChannelId = channel.id;
  }
  return defaultDb.$transaction(async (tx) => {
    const row = await tx.applicantSettings.upsert({
      where: { organizationId },
      create: { organizationId, ...data },
      update: data,
    });
    await recordAudit({
      db: tx,
      organizationId,
      actor,
      action: "applicant_settings.update",
      targetType: "organization",
      targetId: organizationId,
      outcome: "SUCCESS",
      metadata: {
        changed: Object.keys(data),
        ...(data.blockedUserIds ? { blockedUsers: data.blockedUserIds.length } : {}),
      },
      ip,
    });
    return view(row);
  });
}
