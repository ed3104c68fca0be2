import Link from "next/link";
import { ConnectButton } from "@/components/bot/connect-button";
import { ConnectNotice } from "@/components/bot/connect-notice";
import { DisconnectButton } from "@/components/bot/disconnect-button";
import { GuildHealthPanel } from "@/components/bot/guild-health";
import { OwnBotForm } from "@/components/bot/own-bot-form";
import { ReviewForm } from "@/components/bot/review-form";
import { RolesForm } from "@/components/bot/roles-form";
import { botConnectError } from "@/components/dashboard/messages";
import { MembersManager } from "@/components/settings/members-manager";
import { QuestionsEditor } from "@/components/settings/questions-editor";
import { Card, Notice, PageHeader } from "@/components/ui/card";
import { getBotConnection } from "@/lib/bot-connection/get-connection";
import { interactionsEndpointUrl } from "@/lib/discord-review/endpoint-url";
import { listMembers } from "@/lib/organizations/members";
import { listQuestions } from "@/lib/questions/questions";
import { can } from "@/lib/security/authorize";
import { requireOrgPage } from "@/lib/security/page-guard";
import styles from "@/components/bot/bot.module.css";
import settingsStyles from "@/components/settings/settings.module.css";

export const metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SettingsPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const ctx = await requireOrgPage(slug, "bot:manage");
  const role = ctx.actor.kind === "user" ? ctx.actor.role : "REVIEWER";
  const organizationId = ctx.organization.id;
  const [connection, members, questions] = await Promise.all([
    getBotConnection({ organizationId }),
    can(role, "members:manage") ? listMembers({ organizationId }) : null,
    can(role, "questions:manage") ? listQuestions({ organizationId }) : null,
  ]);
  const orgSlug = ctx.organization.slug;
  const lastError =
    connection.state === "ERROR" && connection.connectionError && !one(query.error)
      ? botConnectError(connection.connectionError)
      : null;
  return (
    <>
      <PageHeader
        title="Settings"
        description="Connect your Discord server, choose what approvals grant, and manage your team and questions."
      />
      <div className={settingsStyles.sections}>
        <Card
          id="bot"
          title="Discord bot"
          description="The bot gives approved applicants their role. It needs Manage Roles, and its role must sit above the role it gives."
        >
          <div className={styles.stack}>
            <ConnectNotice error={one(query.error)} success={one(query.success)} />
            {lastError ? (
              <Notice tone="danger" title={`The last connection failed: ${lastError.title.toLowerCase()}`}>
                <p>{lastError.text}</p>
              </Notice>
            ) : null}
            <div className={styles.row}>
              <ConnectButton
                slug={orgSlug}
                state={connection.state}
                connectHref={`/api/discord/bot-connect?org=${encodeURIComponent(orgSlug)}`}
              />
              {connection.state === "CONNECTED" ? (
                <DisconnectButton slug={orgSlug} guildName={connection.guildName} />
              ) : null}
            </div>
            {connection.state === "CONNECTED" ? (
              <dl className={styles.facts}>
                <div>
                  <dt>Server</dt>
                  <dd>{connection.guildName ?? connection.guildId}</dd>
                </div>
                <div>
                  <dt>Approved role</dt>
                  <dd>{connection.approvedRoleName ?? "Not set"}</dd>
                </div>
                <div>
                  <dt>Bot</dt>
                  <dd>
                    {connection.ownBotApplicationId
                      ? `Your own (application ${connection.ownBotApplicationId})`
                      : "Guildgate's bot"}
                  </dd>
                </div>
              </dl>
            ) : null}
          </div>
        </Card>
        {connection.state === "CONNECTED" ? (
          <Card
            id="health"
            title="Server health"
            description="Checked with Discord now: what would stop the bot from giving roles, and how to fix it."
          >
            <GuildHealthPanel slug={orgSlug} />
          </Card>
        ) : null}
        {connection.state === "CONNECTED" ? (
          <Card
            id="roles"
            title="Roles"
            description="What an approval gives, and what other services may give with an API token."
          >
            <RolesForm slug={orgSlug} isOwner={role === "OWNER"} />
          </Card>
        ) : null}
        {connection.state === "CONNECTED" ? (
          <Card
            id="review"
            title="Review in Discord"
            description="Post each new application in a channel of your server, and decide it there with buttons."
          >
            <ReviewForm
              slug={orgSlug}
              interactionsUrl={
                connection.ownBotApplicationId ? interactionsEndpointUrl(connection.ownBotApplicationId) : null
              }
            />
          </Card>
        ) : null}
        <Card
          id="own-bot"
          title="Bring your own bot"
          description="Approvals can come from your own Discord application instead of Guildgate's bot."
        >
          <OwnBotForm
            slug={orgSlug}
            ownBotApplicationId={connection.ownBotApplicationId}
            connected={connection.state === "CONNECTED" || connection.state === "CONNECTING"}
          />
        </Card>
        {members ? (
          <Card id="members" title="Members" description="People who can use this dashboard, by Discord account.">
            <MembersManager
              slug={orgSlug}
              currentUserId={ctx.actor.kind === "user" ? ctx.actor.userId : ""}
              canManageOwners={can(role, "owners:manage")}
              organizationName={ctx.organization.name}
              canPick={connection.state === "CONNECTED"}
              initial={members.map((m) => ({
                userId: m.userId,
                discordUserId: m.discordUserId,
                name: m.name,
                role: m.role,
                since: m.since.toISOString(),
              }))}
            />
          </Card>
        ) : null}
        {questions ? (
          <Card
            id="questions"
            title="Application questions"
            description={`Asked on the default form (/apply/${orgSlug}), in this order.`}
            actions={<Link href={`/dashboard/${orgSlug}/settings/forms`}>All forms and role rules</Link>}
          >
            <QuestionsEditor
              slug={orgSlug}
              initial={questions.map((q) => ({
                id: q.id,
                label: q.label,
                kind: q.kind,
                required: q.required,
                options: q.options,
                maxLength: q.maxLength,
              }))}
            />
          </Card>
        ) : null}
        {can(role, "applicants:manage") ? (
          <Card
            id="applicants"
            title="Applicants"
            description="Reasons for rejections, the direct messages applicants get, the log channel, the invite link, and who may apply (account age, cooldown, blocklist)."
            actions={<Link href={`/dashboard/${orgSlug}/settings/applicants`}>Applicant settings</Link>}
          >
            <p>
              Applicants see their applications at <code>/apply/{orgSlug}/status</code>.
            </p>
          </Card>
        ) : null}
      </div>
    </>
  );
}
