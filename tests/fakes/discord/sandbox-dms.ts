// The sandbox's view of direct messages (issue 14), so `npm run dev` and the browser journeys can see what the bot
// told an applicant: GET /_sandbox/dms (an HTML page: every user's DMs, newest first; ?user=<id> for one user),
// GET /_sandbox/users/<id>/dms (JSON), POST /_sandbox/users/<id>/dms-closed { closed } (Discord's 50007 from then on).
import type { DiscordModel, FakeMessage } from "./model";
import { json } from "./responses";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const view = (m: DiscordModel, message: FakeMessage) => ({
  id: message.id,
  channelId: message.channelId,
  from: m.users.get(message.authorId)?.username ?? message.authorId,
  content: message.content,
  embeds: message.embeds.length,
  createdAt: message.createdAt,
});

function page(m: DiscordModel, only: string | null): Response {
  const users = [...m.users.values()].filter((u) => !u.bot && (!only || u.id === only));
  const sections = users
    .map((u) => {
      const dms = m.dmsTo(u.id).slice().reverse();
      const closed = m.dmsClosed.has(u.id) ? ' <span class="closed">DMs closed</span>' : "";
      const items = dms.length
        ? dms
            .map(
              (d) =>
                `<li data-message="${d.id}"><div class="meta">from ${escapeHtml(view(m, d).from)} · ${escapeHtml(d.createdAt)}</div><p>${escapeHtml(d.content)}</p></li>`,
            )
            .join("")
        : '<li class="muted">No direct messages.</li>';
      return `<section data-user="${u.id}"><h2>${escapeHtml(u.globalName ?? u.username)} <span class="muted">${u.id}</span>${closed}</h2><ul>${items}</ul></section>`;
    })
    .join("");
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox direct messages</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{margin:0;background:#313338;font:15px/1.4 system-ui,sans-serif;color:#dbdee1}
main{width:min(720px,94vw);margin:24px auto}h1{color:#f2f3f5;font-size:22px}
section{background:#2b2d31;border-radius:8px;padding:16px 20px;margin:0 0 16px}h2{font-size:16px;margin:0 0 8px;color:#f2f3f5}
ul{list-style:none;margin:0;padding:0}li{padding:8px 0;border-top:1px solid #3f4147}li p{margin:4px 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
.meta,.muted{color:#949ba4;font-size:13px}.closed{background:#da373c;color:#fff;border-radius:3px;padding:0 6px;font-size:12px;margin-left:6px}
</style></head><body><main><h1>Direct messages in the sandbox</h1>${sections || '<p class="muted">No such user.</p>'}</main></body></html>`;
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

/** The DM routes of the sandbox's admin API; null when the request is not one of them. */
export async function handleSandboxDms(m: DiscordModel, request: Request): Promise<Response | null> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, "");
  if (request.method === "GET" && path === "/_sandbox/dms") return page(m, url.searchParams.get("user"));
  const match = /^\/_sandbox\/users\/(\d+)\/(dms|dms-closed)$/.exec(path);
  if (!match) return null;
  const [, userId, what] = match as unknown as [string, string, string];
  if (!m.users.has(userId)) return json({ error: `unknown user ${userId}` }, 404);
  if (what === "dms" && request.method === "GET") {
    return json({ userId, dmsClosed: m.dmsClosed.has(userId), messages: m.dmsTo(userId).map((d) => view(m, d)) });
  }
  if (what === "dms-closed" && request.method === "POST") {
    const text = await request.text();
    const closed = text ? (JSON.parse(text) as { closed?: unknown }).closed !== false : true;
    m.setDmsClosed(userId, closed);
    return json({ userId, dmsClosed: closed });
  }
  return null;
}
