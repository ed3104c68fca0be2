// Interactions in the fake: each application holds an Ed25519 key pair (derived from its id, so a test, the
// sandbox and the app's environment agree on the public key without sharing state); builders for the payloads
// Discord sends (PING, a button click with member and user, a modal submit); `sendInteraction` signs one and POSTs
// it to the app's endpoint, then applies the answer as Discord would (type 7 edits the message, type 9 is a modal
// for the user, type 4 with flags 64 an ephemeral reply); and the interaction webhook routes the app calls after a
// deferred answer (PATCH /webhooks/{application_id}/{token}/messages/@original, POST follow-ups).
import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign } from "node:crypto";
import type { DiscordFake } from "./fake";
import { type DiscordModel, type FakeMessage, newSnowflake } from "./model";
import { renderMessage, renderUser } from "./render";
import { DISCORD_ERRORS, discordError, json } from "./responses";

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export type ApplicationKeys = { privateKey: KeyObject; publicKeyHex: string };

/** The application's key pair: fixed per application id (Discord shows the public half as "Public Key"). */
export function fakeApplicationKeys(applicationId: string): ApplicationKeys {
  const seed = createHash("sha256").update(`guildgate-fake-interactions:${applicationId}`).digest();
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  return { privateKey, publicKeyHex: spki.subarray(spki.length - 32).toString("hex") };
}

/** A key pair no application has: what a forger holds. */
export function strangerKeys(): ApplicationKeys {
  return fakeApplicationKeys(`stranger-${randomBytes(8).toString("hex")}`);
}

/** Discord's headers for `body` signed at `timestamp` (unix seconds) with `privateKey`. */
export function signInteraction(body: string, timestamp: number, privateKey: KeyObject): Record<string, string> {
  const ts = String(timestamp);
  return {
    "X-Signature-Ed25519": sign(null, Buffer.from(ts + body, "utf8"), privateKey).toString("hex"),
    "X-Signature-Timestamp": ts,
  };
}

type InteractionRecord = {
  applicationId: string;
  channelId: string | null;
  messageId: string | null;
  userId: string | null;
};

export type EphemeralReply = { userId: string | null; content: string; at: number };
export type PendingModal = { userId: string; channelId: string; messageId: string; data: Record<string, unknown> };

/** Per fake: interaction tokens issued, ephemeral replies and the modal a user has open (the sandbox shows them). */
export type InteractionState = {
  tokens: Map<string, InteractionRecord>;
  ephemeral: EphemeralReply[];
  modals: Map<string, PendingModal>;
};

const states = new WeakMap<DiscordModel, InteractionState>();

export function interactionState(fake: DiscordFake): InteractionState {
  let state = states.get(fake.model);
  if (!state) {
    state = { tokens: new Map(), ephemeral: [], modals: new Map() };
    states.set(fake.model, state);
  }
  return state;
}

function issueToken(fake: DiscordFake, record: InteractionRecord): string {
  const token = `aW50ZXJhY3Rpb24.${randomBytes(24).toString("base64url")}`;
  interactionState(fake).tokens.set(token, record);
  return token;
}

function member(fake: DiscordFake, guildId: string, userId: string) {
  const guild = fake.model.guildOrThrow(guildId);
  const user = fake.model.users.get(userId);
  if (!user) throw new Error(`fake: unknown user ${userId}`);
  const m = guild.members.get(userId);
  return {
    user: renderUser(user),
    roles: m ? [...m.roleIds] : [],
    joined_at: m?.joinedAt ?? new Date(fake.model.now()).toISOString(),
    nick: m?.nick ?? null,
    avatar: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    permissions: fake.model.memberPermissions(guild, userId).toString(),
    premium_since: null,
    communication_disabled_until: null,
  };
}

function base(fake: DiscordFake, applicationId: string, type: number, record: InteractionRecord) {
  return {
    id: newSnowflake(),
    application_id: applicationId,
    type,
    token: issueToken(fake, record),
    version: 1,
    locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    attachment_size_limit: 10_485_760,
  };
}

export function pingPayload(fake: DiscordFake, applicationId: string) {
  return base(fake, applicationId, 1, { applicationId, channelId: null, messageId: null, userId: null });
}

export type ComponentInteractionInput = {
  applicationId: string;
  /** The message carrying the component (its channel and guild come from it). */
  messageId: string;
  userId: string;
};

function messageContext(fake: DiscordFake, messageId: string): { message: FakeMessage; guildId: string } {
  const message = fake.model.messages.get(messageId);
  if (!message || !message.guildId) throw new Error(`fake: no guild message ${messageId}`);
  return { message, guildId: message.guildId };
}

function inGuild(fake: DiscordFake, input: ComponentInteractionInput, type: number) {
  const { message, guildId } = messageContext(fake, input.messageId);
  const author = fake.model.users.get(message.authorId)!;
  return {
    ...base(fake, input.applicationId, type, {
      applicationId: input.applicationId,
      channelId: message.channelId,
      messageId: message.id,
      userId: input.userId,
    }),
    guild_id: guildId,
    guild: { id: guildId, locale: "en-US", features: [] },
    guild_locale: "en-US",
    channel_id: message.channelId,
    channel: { id: message.channelId, type: 0, guild_id: guildId },
    member: member(fake, guildId, input.userId),
    app_permissions: "0",
    message: renderMessage(message, author),
  };
}

/** A click on a button (MESSAGE_COMPONENT, component_type 2) by a guild member. */
export function buttonClickPayload(fake: DiscordFake, input: ComponentInteractionInput & { customId: string }) {
  return { ...inGuild(fake, input, 3), data: { custom_id: input.customId, component_type: 2 } };
}

/** A modal's submission (MODAL_SUBMIT): each text input inside a Label, as Discord sends them today. */
export function modalSubmitPayload(
  fake: DiscordFake,
  input: ComponentInteractionInput & { customId: string; values: Record<string, string> },
) {
  return {
    ...inGuild(fake, input, 5),
    data: {
      custom_id: input.customId,
      components: Object.entries(input.values).map(([customId, value], i) => ({
        type: 18,
        id: i * 2 + 1,
        component: { type: 4, id: i * 2 + 2, custom_id: customId, value },
      })),
    },
  };
}

export type SendInteractionOptions = {
  /** The app's Interactions Endpoint URL. */
  url: string;
  payload: { application_id: string; token: string } & Record<string, unknown>;
  /** Unix seconds (default now). */
  timestamp?: number;
  /** Default: the payload's application's key; null: no signature headers at all. */
  signWith?: KeyObject | null;
  /** Sign this body but send another (a forged request). */
  sendBody?: string;
  /** Default global fetch; tests pass the route handler. */
  transport?: (request: Request) => Promise<Response>;
};

export type InteractionOutcome = {
  status: number;
  body: { type?: number; data?: Record<string, unknown> } | null;
};

/** Signs and sends one interaction, then applies the answer to the fake as Discord would. */
export async function sendInteraction(fake: DiscordFake, options: SendInteractionOptions): Promise<InteractionOutcome> {
  const body = JSON.stringify(options.payload);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const key =
    options.signWith === undefined ? fakeApplicationKeys(options.payload.application_id).privateKey : options.signWith;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": "Discord-Interactions/1.0 (+https://discord.com)",
    ...(key ? signInteraction(body, timestamp, key) : {}),
  };
  const request = new Request(options.url, { method: "POST", headers, body: options.sendBody ?? body });
  const response = await (options.transport ?? fetch)(request);
  const text = await response.text();
  let parsed: InteractionOutcome["body"] = null;
  try {
    parsed = text ? (JSON.parse(text) as InteractionOutcome["body"]) : null;
  } catch {
    parsed = null;
  }
  if (response.ok && parsed) applyResponse(fake, options.payload, parsed);
  return { status: response.status, body: parsed };
}

function applyResponse(
  fake: DiscordFake,
  payload: SendInteractionOptions["payload"],
  answer: NonNullable<InteractionOutcome["body"]>,
): void {
  const record = interactionState(fake).tokens.get(payload.token);
  const userId = record?.userId ?? null;
  const data = answer.data ?? {};
  if (answer.type === 7 && record?.messageId) {
    editMessage(fake, record.messageId, data);
  } else if (answer.type === 4 || answer.type === 5) {
    interactionState(fake).ephemeral.push({ userId, content: String(data.content ?? ""), at: Date.now() });
  } else if (answer.type === 9 && record?.messageId && userId) {
    interactionState(fake).modals.set(userId, {
      userId,
      channelId: record.channelId!,
      messageId: record.messageId,
      data,
    });
  }
}

function editMessage(fake: DiscordFake, messageId: string, data: Record<string, unknown>): FakeMessage | undefined {
  const message = fake.model.messages.get(messageId);
  if (!message) return undefined;
  if (typeof data.content === "string") message.content = data.content;
  if (Array.isArray(data.embeds)) message.embeds = data.embeds as Record<string, unknown>[];
  if (Array.isArray(data.components)) message.components = data.components as Record<string, unknown>[];
  message.editedAt = new Date(fake.model.now()).toISOString();
  return message;
}

type FakeRoute = {
  id: string;
  params: Record<string, string>;
  rateLimited: boolean;
  run: (request: Request) => Promise<Response>;
};

/** The interaction webhook routes (no Authorization: the token in the path is the credential), for fake.ts. */
export function resolveInteractionRoute(fake: DiscordFake, method: string, path: string): FakeRoute | undefined {
  const match = /^\/webhooks\/(\d{1,20})\/([A-Za-z0-9._-]{1,500})(\/messages\/@original)?$/.exec(path);
  if (!match) return undefined;
  const [, applicationId, token, original] = match as unknown as [string, string, string, string | undefined];
  const params = { application_id: applicationId, interaction_token: token };
  const record = () => {
    const found = interactionState(fake).tokens.get(token);
    return found && found.applicationId === applicationId ? found : undefined;
  };
  const readBody = async (request: Request): Promise<Record<string, unknown> | null> => {
    try {
      const value = JSON.parse(await request.text()) as unknown;
      return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  if (original && method === "PATCH") {
    return {
      id: "PATCH /webhooks/{application_id}/{interaction_token}/messages/@original",
      params,
      rateLimited: false,
      run: async (request) => {
        const found = record();
        if (!found?.messageId) return discordError({ status: 404, code: 10015, message: "Unknown Webhook" });
        const body = await readBody(request);
        if (!body)
          return discordError({ status: 400, code: 50109, message: "The request body contains invalid JSON." });
        const message = editMessage(fake, found.messageId, body);
        if (!message) return discordError(DISCORD_ERRORS.UNKNOWN_MESSAGE);
        return json(renderMessage(message, fake.model.users.get(message.authorId)!));
      },
    };
  }
  if (!original && method === "POST") {
    return {
      id: "POST /webhooks/{application_id}/{interaction_token}",
      params,
      rateLimited: false,
      run: async (request) => {
        const found = record();
        if (!found) return discordError({ status: 404, code: 10015, message: "Unknown Webhook" });
        const body = await readBody(request);
        if (!body)
          return discordError({ status: 400, code: 50109, message: "The request body contains invalid JSON." });
        interactionState(fake).ephemeral.push({
          userId: found.userId,
          content: String(body.content ?? ""),
          at: Date.now(),
        });
        return json({
          id: newSnowflake(),
          channel_id: found.channelId,
          content: body.content ?? "",
          flags: body.flags ?? 0,
        });
      },
    };
  }
  return undefined;
}
