// OAuth2: the authorize page (HTML, with a guild picker for the bot scope) and the token endpoint
// (authorization_code and refresh_token, with the `guild` of an advanced bot authorization, and PKCE S256),
// following Discord's docs.
import { createHash } from "node:crypto";
import { type DiscordModel, type FakeApplication, type FakeUser, type OAuthToken, PERMISSIONS } from "./model";
import { renderGuild } from "./render";
import { json } from "./responses";

const SCOPE_TEXT: Record<string, string> = {
  identify: "Access your username, avatar, and banner",
  email: "Access your email address",
  guilds: "Know what servers you're in",
  "guilds.join": "Join servers for you",
  bot: "Add a bot to a server",
  "applications.commands": "Create commands",
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#313338;font:15px/1.4 system-ui,sans-serif;color:#dbdee1}
main{width:min(440px,92vw);background:#2b2d31;border-radius:8px;padding:28px;box-shadow:0 8px 24px #0006}
h1{font-size:20px;color:#f2f3f5;margin:0 0 4px}.muted{color:#949ba4;font-size:13px}
ul{padding:0;list-style:none;margin:16px 0}li{padding:8px 0;border-bottom:1px solid #3f4147}li::before{content:"✓ ";color:#23a55a}
label{display:block;margin:16px 0 6px;font-size:12px;font-weight:700;text-transform:uppercase;color:#b5bac1}
select{width:100%;padding:10px;background:#1e1f22;color:#dbdee1;border:0;border-radius:4px;font-size:15px}
.actions{display:flex;gap:12px;justify-content:flex-end;margin-top:24px}
button{padding:10px 20px;border:0;border-radius:4px;font-size:14px;cursor:pointer}
.primary{background:#5865f2;color:#fff}.secondary{background:transparent;color:#dbdee1}
.badge{display:inline-block;background:#5865f2;color:#fff;border-radius:3px;padding:0 6px;font-size:11px;margin-left:6px}
a{color:#00a8fc}.error{color:#fa777c}
</style></head><body><main>${body}</main></body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function errorPage(message: string): Response {
  return page(
    "Discord sandbox: invalid request",
    `<h1>Invalid OAuth2 request</h1><p class="error">${escapeHtml(message)}</p>`,
    400,
  );
}

type AuthorizeRequest = {
  application: FakeApplication;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  permissions: bigint;
  guildId: string | null;
  disableGuildSelect: boolean;
  codeChallenge: string | undefined;
};

function parseAuthorize(model: DiscordModel, params: URLSearchParams): AuthorizeRequest | string {
  const application = model.applications.get(params.get("client_id") ?? "");
  if (!application) return "Unknown application (client_id).";
  const redirectUri = params.get("redirect_uri") ?? "";
  if (!redirectUri) return "redirect_uri is required.";
  if (application.redirectUris.length > 0 && !application.redirectUris.includes(redirectUri)) {
    return "Invalid OAuth2 redirect_uri.";
  }
  const scopes = (params.get("scope") ?? "").split(/[ +]/).filter(Boolean);
  if (scopes.length === 0) return "scope is required.";
  const unknown = scopes.find((s) => !(s in SCOPE_TEXT));
  if (unknown) return `Invalid scope: ${unknown}.`;
  if (params.get("response_type") !== "code") return "response_type must be code.";
  let permissions = 0n;
  try {
    permissions = BigInt(params.get("permissions") ?? "0");
  } catch {
    return "permissions must be an integer.";
  }
  const codeChallenge = params.get("code_challenge") || undefined;
  if (codeChallenge && params.get("code_challenge_method") !== "S256") return "code_challenge_method must be S256.";
  return {
    application,
    redirectUri,
    scopes,
    state: params.get("state"),
    permissions,
    guildId: params.get("guild_id"),
    disableGuildSelect: params.get("disable_guild_select") === "true",
    codeChallenge,
  };
}

function humans(model: DiscordModel): FakeUser[] {
  return [...model.users.values()].filter((u) => !u.bot);
}

/** Guilds the user may add a bot to (owner, or MANAGE_GUILD). */
function manageableGuilds(model: DiscordModel, userId: string) {
  return [...model.guilds.values()].filter(
    (g) => (model.memberPermissions(g, userId) & PERMISSIONS.MANAGE_GUILD) !== 0n,
  );
}

/** GET /oauth2/authorize: the consent page. `as=<user id>` switches the signed-in sandbox user. */
export function authorizePage(model: DiscordModel, url: URL): Response {
  const parsed = parseAuthorize(model, url.searchParams);
  if (typeof parsed === "string") return errorPage(parsed);
  const people = humans(model);
  const user = model.users.get(url.searchParams.get("as") ?? "") ?? people[0];
  if (!user) return errorPage("The sandbox has no users.");
  const bot = parsed.scopes.includes("bot");
  const hidden = [
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "permissions",
    "code_challenge",
    "code_challenge_method",
  ]
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(url.searchParams.get(k) ?? "")}">`)
    .join("");
  let guildPicker = "";
  if (bot) {
    const guilds = manageableGuilds(model, user.id).filter(
      (g) => !parsed.guildId || !parsed.disableGuildSelect || g.id === parsed.guildId,
    );
    const options = guilds
      .map((g) => `<option value="${g.id}"${g.id === parsed.guildId ? " selected" : ""}>${escapeHtml(g.name)}</option>`)
      .join("");
    guildPicker = guilds.length
      ? `<label for="guild_id">Add to server</label><select id="guild_id" name="guild_id">${options}</select>`
      : `<p class="error">You do not manage any server you could add this bot to.</p>`;
  }
  const switchLinks = people
    .filter((p) => p.id !== user.id)
    .map((p) => {
      const next = new URL(url);
      next.searchParams.set("as", p.id);
      return `<a href="${escapeHtml(next.pathname + next.search)}">${escapeHtml(p.globalName ?? p.username)}</a>`;
    })
    .join(" · ");
  const scopes = parsed.scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s]!)}</li>`).join("");
  return page(
    `Authorize ${parsed.application.name}`,
    `<p class="muted">An external application</p>
<h1>${escapeHtml(parsed.application.name)}${bot ? '<span class="badge">BOT</span>' : ""}</h1>
<p class="muted">wants to access your Discord account</p>
<p>Signed in as <strong>${escapeHtml(user.globalName ?? user.username)}</strong>${switchLinks ? ` <span class="muted">(not you? ${switchLinks})</span>` : ""}</p>
<p class="muted">This will allow ${escapeHtml(parsed.application.name)} to:</p><ul>${scopes}</ul>
<form method="post" action="${escapeHtml(url.pathname)}">${hidden}<input type="hidden" name="user_id" value="${user.id}">
${guildPicker}
<div class="actions"><button class="secondary" name="action" value="cancel">Cancel</button>
<button class="primary" name="action" value="authorize"${bot && !manageableGuilds(model, user.id).length ? " disabled" : ""}>Authorize</button></div>
</form>`,
  );
}

function redirect(to: URL): Response {
  return new Response(null, { status: 302, headers: { Location: to.toString() } });
}

/** POST /oauth2/authorize: the Authorize (or Cancel) button. Adds the bot for the bot scope, then redirects. */
export async function authorizeSubmit(model: DiscordModel, request: Request): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  const parsed = parseAuthorize(model, form);
  if (typeof parsed === "string") return errorPage(parsed);
  const user = model.users.get(form.get("user_id") ?? "");
  if (!user || user.bot) return errorPage("Unknown user.");
  const target = new URL(parsed.redirectUri);
  if (parsed.state !== null) target.searchParams.set("state", parsed.state);
  if (form.get("action") !== "authorize") {
    target.searchParams.set("error", "access_denied");
    target.searchParams.set("error_description", "The resource owner or authorization server denied the request");
    return redirect(target);
  }
  let guildId: string | undefined;
  if (parsed.scopes.includes("bot")) {
    guildId = form.get("guild_id") ?? undefined;
    const guild = guildId ? model.guilds.get(guildId) : undefined;
    if (!guild || !manageableGuilds(model, user.id).includes(guild)) return errorPage("Pick a server you manage.");
    installBot(model, guild.id, parsed.application, parsed.permissions);
    target.searchParams.set("guild_id", guild.id);
    target.searchParams.set("permissions", parsed.permissions.toString());
  }
  const code = model.issueCode({
    applicationId: parsed.application.id,
    userId: user.id,
    scopes: parsed.scopes,
    redirectUri: parsed.redirectUri,
    guildId,
    permissions: parsed.permissions,
    codeChallenge: parsed.codeChallenge,
  });
  target.searchParams.set("code", code.code);
  return redirect(target);
}

/** Adds the application's bot to a guild (or updates its managed role's permissions when already there). */
export function installBot(
  model: DiscordModel,
  guildId: string,
  application: FakeApplication,
  permissions: bigint,
): void {
  const guild = model.guildOrThrow(guildId);
  const managed = [...guild.roles.values()].find((r) => r.botId === application.botUserId);
  if (guild.members.has(application.botUserId) && managed) {
    managed.permissions = permissions;
    return;
  }
  model.addBotToGuild(guildId, application.id, { permissions });
}

function oauthError(error: string, description: string, status = 400): Response {
  return json({ error, error_description: description }, status);
}

/** POST /oauth2/token (application/x-www-form-urlencoded; client credentials in the body or HTTP Basic). */
export async function tokenEndpoint(model: DiscordModel, request: Request): Promise<Response> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded")) {
    return oauthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded");
  }
  const form = new URLSearchParams(await request.text());
  let clientId = form.get("client_id");
  let clientSecret = form.get("client_secret");
  const basic = /^Basic (.+)$/.exec(request.headers.get("authorization") ?? "");
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    clientId = decodeURIComponent(decoded.slice(0, colon));
    clientSecret = decodeURIComponent(decoded.slice(colon + 1));
  }
  const application = model.applications.get(clientId ?? "");
  if (!application || application.secret !== clientSecret) return oauthError("invalid_client", "Invalid client", 401);

  const grant = form.get("grant_type");
  if (grant === "authorization_code") {
    const code = model.codes.get(form.get("code") ?? "");
    if (!code || code.applicationId !== application.id || code.expiresAt <= model.now()) {
      return oauthError("invalid_grant", 'Invalid "code" in request.');
    }
    if (form.get("redirect_uri") !== code.redirectUri)
      return oauthError("invalid_grant", 'Invalid "redirect_uri" in request.');
    if (code.codeChallenge) {
      const verifier = form.get("code_verifier") ?? "";
      if (createHash("sha256").update(verifier).digest("base64url") !== code.codeChallenge) {
        return oauthError("invalid_grant", 'Invalid "code_verifier" in request.');
      }
    }
    model.codes.delete(code.code);
    const token = model.issueToken({ applicationId: application.id, userId: code.userId, scopes: code.scopes });
    const guild = code.guildId ? model.guilds.get(code.guildId) : undefined;
    return json({
      ...tokenBody(model, token),
      ...(guild ? { guild: renderGuild(guild, false) } : {}),
    });
  }
  if (grant === "refresh_token") {
    const old = model.refreshTokens.get(form.get("refresh_token") ?? "");
    if (!old || old.applicationId !== application.id) return oauthError("invalid_grant", "Invalid refresh token");
    // Discord rotates refresh tokens: the old pair stops working.
    model.revokeToken(old);
    const token = model.issueToken({ applicationId: application.id, userId: old.userId, scopes: old.scopes });
    return json(tokenBody(model, token));
  }
  if (grant === "client_credentials") {
    const token = model.issueToken({
      applicationId: application.id,
      userId: application.botUserId,
      scopes: ["identify"],
    });
    const { refresh_token: _omit, ...body } = tokenBody(model, token);
    return json(body);
  }
  return oauthError("unsupported_grant_type", `Unsupported grant type: ${grant ?? "(none)"}`);
}

/** POST /oauth2/token/revoke */
export async function revokeEndpoint(model: DiscordModel, request: Request): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  const value = form.get("token") ?? "";
  const token = model.accessTokens.get(value) ?? model.refreshTokens.get(value);
  if (token) model.revokeToken(token);
  return json({});
}

function tokenBody(model: DiscordModel, token: OAuthToken) {
  return {
    token_type: "Bearer",
    access_token: token.accessToken,
    expires_in: Math.round((token.expiresAt - model.now()) / 1000),
    refresh_token: token.refreshToken,
    scope: token.scopes.join(" "),
  };
}
