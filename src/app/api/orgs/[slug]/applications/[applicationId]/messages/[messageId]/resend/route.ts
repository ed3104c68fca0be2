// POST /api/orgs/[slug]/applications/[applicationId]/messages/[messageId]/resend : send a failed decision message
// (DM or log post) again. 409 message_already_sent when it was delivered, 409 message_not_failed while it is being
// sent or waits for the role; audited.
import { json } from "@/lib/http/route";
import { resendMessage } from "@/lib/notifications/resend";
import { memberActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string; applicationId: string; messageId: string };

export const POST = withAuth<Params>(
  { auth: "session", permission: "applications:review" },
  async (_request, ctx, params) => {
    const message = await resendMessage({
      organizationId: ctx.organization.id,
      applicationId: params.applicationId,
      messageId: params.messageId,
      actorId: memberActorOf(ctx).userId,
      ip: ctx.ip,
    });
    return json({ message }, { requestId: ctx.requestId });
  },
);
