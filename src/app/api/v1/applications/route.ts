// The applications API for other services.
// POST (scope applications:write) { discordUserId, applicantName, answers, form? } with an optional Idempotency-Key
//   header: a retry with the same key returns the first result (200, Idempotent-Replayed: true) instead of a
//   duplicate; a new application is 201. `form` is a form's slug (default form without it); answers are keyed by
//   the question's key (GET /api/v1/forms/<slug> lists them) or its id.
// GET (scope applications:read) ?status=&cursor=&limit= : newest first, keyset-paginated; the dashboard's handler
//   (src/app/api/orgs/[slug]/applications/route.ts), which takes API tokens on this URL.
import { applicationSubmission } from "@/lib/applications/api-schemas";
import { toApplicationDto } from "@/lib/applications/queries/dto";
import { submitApplication } from "@/lib/applications/intake/submit-application";
import { AppError } from "@/lib/errors/app-error";
import { json, readJson } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";

const submission = applicationSubmission;

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export const POST = withAuth<Record<string, string>>(
  { auth: "token", scope: "applications:write" },
  async (request, ctx) => {
    const key = request.headers.get("idempotency-key");
    if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
      throw new AppError("bad_request", "Idempotency-Key must be 1 to 200 visible ASCII characters.");
    }
    const input = await readJson(request, submission, { maxBytes: 64 * 1024 });
    if (input.discordUserId !== null && typeof input.discordUserId !== "string") {
      throw new AppError(
        "invalid_discord_user_id",
        "discordUserId must be a Discord user ID (snowflake string) or null.",
      );
    }
    const { application, created } = await submitApplication({
      organizationId: ctx.organization.id,
      applicantDiscordId: input.discordUserId,
      applicantName: input.applicantName,
      answers: input.answers,
      formSlug: input.form,
      source: "API",
      idempotencyKey: key,
      actor: auditActorOf(ctx),
      ip: ctx.ip,
    });
    return json(
      { application: toApplicationDto(application) },
      {
        status: created ? 201 : 200,
        requestId: ctx.requestId,
        headers: created ? {} : { "Idempotent-Replayed": "true" },
      },
    );
  },
);

export { GET } from "@/app/api/orgs/[slug]/applications/route";
