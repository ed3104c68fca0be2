// GET / PUT /api/orgs/[slug]/applicant-settings : what applicants are told and who may apply (ADMIN and up):
// { rejectReasonRequired, dmOnApprove, dmOnReject, approveTemplate, rejectTemplate, logChannelId, inviteUrl,
// minAccountAgeDays, rejectCooldownDays, blockedUserIds }, each optional on PUT.
import { applicantSettingsInput, getApplicantSettings, updateApplicantSettings } from "@/lib/applicants/settings";
import { json, readJson } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string };

export const GET = withAuth<Params>({ auth: "session", permission: "applicants:manage" }, async (_request, ctx) => {
  return json(
    { settings: await getApplicantSettings({ organizationId: ctx.organization.id }) },
    { requestId: ctx.requestId },
  );
});

export const PUT = withAuth<Params>({ auth: "session", permission: "applicants:manage" }, async (request, ctx) => {
  const input = await readJson(request, applicantSettingsInput, { maxBytes: 64 * 1024 });
  const settings = await updateApplicantSettings({
    organizationId: ctx.organization.id,
    input,
    actor: auditActorOf(ctx),
    ip: ctx.ip,
  });
  return json({ settings }, { requestId: ctx.requestId });
});
