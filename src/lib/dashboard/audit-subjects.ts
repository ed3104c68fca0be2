// Whom an audit entry is about, by name: one query per kind of target for a whole page of entries, tenant-scoped,
// so the log can say "Approved Alex" instead of an id.
import { db as defaultDb, type Db } from "@/lib/db";
import { isUuid } from "@/lib/http/input";

/** "<targetType>:<targetId>" -> a name people recognise. */
export type AuditSubjects = Record<string, string>;

export type ResolveAuditSubjectsOptions = {
  organizationId: string;
  entries: { targetType: string | null; targetId: string | null }[];
  db?: Db;
};

export async function resolveAuditSubjects({
  organizationId,
  entries,
  db = defaultDb,
}: ResolveAuditSubjectsOptions): Promise<AuditSubjects> {
  const ids = (type: string) => [
    ...new Set(
      entries.filter((e) => e.targetType === type && e.targetId && isUuid(e.targetId)).map((e) => e.targetId!),
    ),
  ];
  // API role grants name a Discord user id: the applicant (or member) with that id, when this organization knows them.
  const discordIds = [
    ...new Set(
      entries
        .filter((e) => e.targetType === "discord_member" && e.targetId && /^\d{1,20}$/.test(e.targetId))
        .map((e) => e.targetId!),
    ),
  ];
  const [applications, users, tokens, questions, applicants] = await Promise.all([
    ids("application").length
      ? db.application.findMany({
          where: { organizationId, id: { in: ids("application") } },
          select: { id: true, applicantName: true },
        })
      : [],
    ids("user").length
      ? db.user.findMany({
          where: { id: { in: ids("user") }, memberships: { some: { organizationId } } },
          select: { id: true, name: true },
        })
      : [],
    ids("api_token").length
      ? db.apiToken.findMany({
          where: { organizationId, id: { in: ids("api_token") } },
          select: { id: true, name: true },
        })
      : [],
    ids("question").length
      ? db.applicationQuestion.findMany({
          where: { organizationId, id: { in: ids("question") } },
          select: { id: true, label: true },
        })
      : [],
    discordIds.length
      ? db.application.findMany({
          where: { organizationId, applicantDiscordId: { in: discordIds } },
          select: { applicantDiscordId: true, applicantName: true },
          orderBy: { createdAt: "desc" },
        })
      : [],
  ]);
  const subjects: AuditSubjects = {};
  for (const a of applications) subjects[`application:${a.id}`] = a.applicantName;
  for (const u of users) subjects[`user:${u.id}`] = u.name;
  for (const t of tokens) subjects[`api_token:${t.id}`] = `“${t.name}”`;
  for (const q of questions) subjects[`question:${q.id}`] = `“${q.label}”`;
  for (const a of applicants) subjects[`discord_member:${a.applicantDiscordId}`] ??= a.applicantName;
  return subjects;
}
