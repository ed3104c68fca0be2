// Members of an organization, addressed by Discord user id. GET lists; POST adds; PATCH changes a role; DELETE
// (?discordUserId=) removes. Owner-only rules and the last-owner rule live in the lib.
import { json, readJson, readQuery } from "@/lib/http/route";
import {
  addMember,
  changeMemberRole,
  listMembers,
  memberInput,
  removeMember,
  removeMemberInput,
} from "@/lib/organizations/members";
import { memberActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string };

export const GET = withAuth<Params>({ auth: "session", permission: "org:read" }, async (_request, ctx) => {
  const members = await listMembers({ organizationId: ctx.organization.id });
  return json({ members });
});

export const POST = withAuth<Params>({ auth: "session", permission: "members:manage" }, async (request, ctx) => {
  const input = await readJson(request, memberInput, { maxBytes: 1024 });
  const member = await addMember({
    organizationId: ctx.organization.id,
    actor: memberActorOf(ctx),
    ip: ctx.ip,
    ...input,
  });
  return json({ member }, { status: 201 });
});

export const PATCH = withAuth<Params>({ auth: "session", permission: "members:manage" }, async (request, ctx) => {
  const input = await readJson(request, memberInput, { maxBytes: 1024 });
  await changeMemberRole({ organizationId: ctx.organization.id, actor: memberActorOf(ctx), ip: ctx.ip, ...input });
  return json({ ok: true });
});

export const DELETE = withAuth<Params>({ auth: "session", permission: "members:manage" }, async (request, ctx) => {
  const input = readQuery(request, removeMemberInput);
  await removeMember({ organizationId: ctx.organization.id, actor: memberActorOf(ctx), ip: ctx.ip, ...input });
  return new Response(null, { status: 204 });
});
