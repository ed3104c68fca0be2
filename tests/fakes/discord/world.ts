// The standard world tests and the sandbox start from: the platform application and its bot, a tenant's own bot
// application, a demo admin, an applicant, a demo guild (platform bot installed, roles on both sides of the bot's
// role) and a second guild without a bot (for the bot-connect flow). IDs are fixed, valid snowflakes.
import type { DiscordModel, FakeApplication, FakeChannel, FakeGuild, FakeRole, FakeUser } from "./model";
import { PERMISSIONS } from "./model";

export const WORLD_IDS = {
  tenantApplication: "1200000000000000010",
  admin: "1200000000000000100",
  applicant: "1200000000000000200",
  outsider: "1200000000000000300",
  guild: "1200000000000001000",
  memberRole: "1200000000000001001",
  approvedRole: "1200000000000001002",
  staffRole: "1200000000000001003",
  generalChannel: "1200000000000001010",
  rulesChannel: "1200000000000001011",
  otherGuild: "1200000000000002000",
} as const;

export type WorldOptions = {
  /** The platform application (DISCORD_CLIENT_ID / DISCORD_CLIENT_SECRET / DISCORD_TOKEN). */
  clientId: string;
  clientSecret: string;
  botToken: string;
  applicationName?: string;
  redirectUris?: string[];
};

export type StandardWorld = {
  platform: FakeApplication;
  /** A tenant's own bot application, not installed anywhere yet. */
  tenantApplication: FakeApplication;
  admin: FakeUser;
  applicant: FakeUser;
  /** Not a member of any guild. */
  outsider: FakeUser;
  guild: FakeGuild;
  roles: { member: FakeRole; approved: FakeRole; bot: FakeRole; staff: FakeRole };
  channels: { general: FakeChannel; rules: FakeChannel };
  otherGuild: FakeGuild;
};

export function seedStandardWorld(model: DiscordModel, options: WorldOptions): StandardWorld {
  const platform = model.addApplication({
    id: options.clientId,
    name: options.applicationName ?? "Guildgate",
    secret: options.clientSecret,
    botToken: options.botToken,
    redirectUris: options.redirectUris ?? [],
  });
  const tenantApplication = model.addApplication({
    id: WORLD_IDS.tenantApplication,
    name: "Acme Community Bot",
    secret: "tenant-app-client-secret-for-the-fake",
    botToken: "MTIwMDAwMDAwMDAwMDAwMDAxMA.tenant.fake-bot-token-0123456789",
  });
  const admin = model.addUser({
    id: WORLD_IDS.admin,
    username: "demo_admin",
    globalName: "Demo Admin",
    email: "admin@example.test",
  });
  const applicant = model.addUser({
    id: WORLD_IDS.applicant,
    username: "alex_applies",
    globalName: "Alex Applicant",
    email: "alex@example.test",
  });
  const outsider = model.addUser({ id: WORLD_IDS.outsider, username: "outsider", globalName: "Olive Outsider" });

  const guild = model.addGuild({ id: WORLD_IDS.guild, name: "Demo Guild", ownerId: admin.id });
  const member = model.addRole(guild.id, { id: WORLD_IDS.memberRole, name: "Member", position: 1 });
  const approved = model.addRole(guild.id, {
    id: WORLD_IDS.approvedRole,
    name: "Approved",
    position: 2,
    color: 0x23a55a,
  });
  const bot = model.addBotToGuild(guild.id, platform.id, {
    permissions: PERMISSIONS.MANAGE_ROLES | PERMISSIONS.VIEW_CHANNEL,
    rolePosition: 3,
  });
  // Above the bot's role: assigning it must fail with 50013.
  const staff = model.addRole(guild.id, {
    id: WORLD_IDS.staffRole,
    name: "Staff",
    position: 4,
    permissions: PERMISSIONS.MANAGE_GUILD,
  });
  model.addMember(guild.id, applicant.id);
  const general = model.addChannel(guild.id, { id: WORLD_IDS.generalChannel, name: "general", position: 0 });
  const rules = model.addChannel(guild.id, { id: WORLD_IDS.rulesChannel, name: "rules", position: 1 });

  const otherGuild = model.addGuild({ id: WORLD_IDS.otherGuild, name: "Second Guild", ownerId: admin.id });
  model.addMember(otherGuild.id, applicant.id);

  return {
    platform,
    tenantApplication,
    admin,
    applicant,
    outsider,
    guild,
    roles: { member, approved, bot, staff },
    channels: { general, rules },
    otherGuild,
  };
}
