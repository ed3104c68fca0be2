// What the role-assignment jobs need from Discord, as a small port: the jobs are tested against the Discord fake
// through the real implementation (discord-gateway.ts); the port only keeps the job logic readable.
export type AssignRoleCall = { guildId: string; userId: string; roleId: string; reason: string; signal: AbortSignal };
/** `permissions`: Discord's bit set as a decimal string (the role job refuses dangerous ones, role-safety.ts). */
export type GuildRoleInfo = { id: string; managed: boolean; name?: string; permissions: string };

export type RoleGateway = {
  /** May answer from a short cache; `fresh` asks Discord (a role created a moment ago). */
  getGuildRoles(input: { guildId: string; signal: AbortSignal; fresh?: boolean }): Promise<GuildRoleInfo[]>;
  addGuildMemberRole(input: AssignRoleCall): Promise<void>;
  removeGuildMemberRole(input: AssignRoleCall): Promise<void>;
  /** The member's role ids; throws Discord's 10007 unknown member when they are not in the guild. */
  getMemberRoleIds(input: { guildId: string; userId: string; signal: AbortSignal }): Promise<string[]>;
  /** False when Discord answers 10007 unknown member. */
  isGuildMember(input: { guildId: string; userId: string; signal: AbortSignal }): Promise<boolean>;
};

export class RoleCallTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Discord did not answer within ${timeoutMs} ms`);
    this.name = "RoleCallTimeout";
  }
}

/** Runs a Discord call with a hard deadline: the signal aborts it, and the race guarantees we stop waiting. */
export async function withDeadline<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new RoleCallTimeout(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
