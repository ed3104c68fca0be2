// The fields of Discord's responses the product relies on, checked at the boundary (extra fields pass through).
// A response that lacks them is treated like a server error (DiscordApiError 502), never half-used.
import { z } from "zod";

const id = z.string().regex(/^\d{1,20}$/);

const role = z.looseObject({
  id,
  name: z.string(),
  position: z.number().int(),
  managed: z.boolean(),
  permissions: z.string(),
});
const user = z.looseObject({
  id,
  username: z.string(),
  global_name: z.string().nullable().optional(),
  avatar: z.string().nullable(),
});

export const DISCORD_PAYLOADS = {
  guild: z.looseObject({ id, name: z.string(), owner_id: id, roles: z.array(role) }),
  roles: z.array(role),
  role,
  channel: z.looseObject({ id, type: z.number().int() }),
  message: z.looseObject({ id, channel_id: id }),
  /** A page of a channel's history: what message-once.ts matches on (the author, the text, the embeds). */
  messages: z.array(
    z.looseObject({
      id,
      channel_id: id,
      content: z.string(),
      author: z.looseObject({ id, bot: z.boolean().optional() }),
      embeds: z.array(z.looseObject({})),
    }),
  ),
  channels: z.array(z.looseObject({ id, type: z.number().int(), name: z.string().nullable().optional() })),
  member: z.looseObject({ roles: z.array(id), user: user.optional() }),
  members: z.array(z.looseObject({ roles: z.array(id), user, nick: z.string().nullable().optional() })),
  user,
  userGuilds: z.array(
    z.looseObject({ id, name: z.string(), owner: z.boolean().optional(), permissions: z.string().optional() }),
  ),
} as const;

export type DiscordPayloadSchema = (typeof DISCORD_PAYLOADS)[keyof typeof DISCORD_PAYLOADS];
