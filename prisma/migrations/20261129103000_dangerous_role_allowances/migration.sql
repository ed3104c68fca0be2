-- Roles with dangerous permissions an OWNER explicitly allowed Guildgate to grant (issue 11 item 3).
ALTER TABLE "DiscordConnection" ADD COLUMN "dangerousRoleAllowances" TEXT[] DEFAULT ARRAY[]::TEXT[];
