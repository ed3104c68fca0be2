// The branded values of guild-resources.ts, apart (no imports) so the code that posts and DMs can name them
// without loading the resolver. Only guild-resources.ts makes them (the brand is a type-only symbol).
declare const resourceBrand: unique symbol;
/** Made only by guild-resources.ts: a value of this type was checked against the organization's guild. */
type Resolved<T, B extends string> = T & { readonly [resourceBrand]: B };

/** A channel of the organization's connected guild. */
export type GuildChannel = Resolved<{ guildId: string; id: string; name: string }, "GuildChannel">;
/** A user the organization's bot may DM: they proved the id through Discord sign-in, or are in the guild. */
export type DmRecipient = Resolved<{ guildId: string; userId: string }, "DmRecipient">;
