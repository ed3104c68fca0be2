// The sandbox's channel view: a person running `npm run dev` (or a browser test) sees a guild channel's messages
// (embeds and buttons, as the bot posted them) and clicks the buttons as any sandbox user; the click is sent to the
// app as a signed interaction (tests/fakes/discord/interactions.ts), and a modal the app answers with is shown as a
// form. Pages: GET /_sandbox/channels, GET /_sandbox/channels/<id>?as=<user id>; PUT /_sandbox/interactions-endpoint
// { url } says where the platform application's interactions go (an own bot's go to <url>/<application id>).
import type { DiscordFake } from "./fake";
import { buttonClickPayload, interactionState, modalSubmitPayload, sendInteraction } from "./interactions";
import type { FakeMessage } from "./model";
import { json } from "./responses";

export type SandboxReviewOptions = {
  fake: DiscordFake;
  /** The platform application (its interactions go to the endpoint itself). */
  platformApplicationId: () => string;
  endpoint: { url: string };
};

const escape = (text: unknown) =>
  String(text ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

function html(title: string, body: string, status = 200): Response {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} · Discord sandbox</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;background:#313338;color:#dbdee1;margin:0;padding:16px}
a{color:#00a8fc}main{max-width:760px;margin:auto}h1{font-size:20px;color:#f2f3f5}
.msg{background:#2b2d31;border-radius:8px;padding:12px;margin:12px 0}
.embed{border-left:4px solid var(--c,#5865f2);background:#1e1f22;border-radius:4px;padding:10px 12px;margin-top:6px}
.embed h2{font-size:16px;margin:0 0 6px;color:#f2f3f5}.text{white-space:pre-wrap;overflow-wrap:anywhere}
.field{margin-top:8px}.field>b{display:block;color:#f2f3f5}
.row{display:flex;flex-wrap:wrap;gap:8px;margin-top:10px}.row form{margin:0}
button,.link{font:inherit;border:0;border-radius:4px;padding:6px 14px;color:#fff;background:#4e5058;cursor:pointer;text-decoration:none}
.s1{background:#5865f2}.s3{background:#248046}.s4{background:#da373c}
.note{background:#1e1f22;border:1px solid #4e5058;border-radius:6px;padding:8px 12px;margin:8px 0}
textarea,select,input{font:inherit;width:100%;box-sizing:border-box;margin:4px 0 10px;padding:6px;background:#1e1f22;color:#dbdee1;border:1px solid #4e5058;border-radius:4px}
label{display:block}.meta{color:#949ba4;font-size:13px}
</style></head><body><main>${body}</main></body></html>`;
  return new Response(page, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location } });
}

/** `<@id>` shown as @name, as Discord renders a mention. */
function mentions(fake: DiscordFake, text: string): string {
  return escape(text).replace(/&lt;@!?(\d{1,20})&gt;/g, (_m, id: string) => {
    const user = fake.model.users.get(id);
    return `<b>@${escape(user?.globalName ?? user?.username ?? id)}</b>`;
  });
}

function markdown(fake: DiscordFake, text: unknown): string {
  // Timestamps <t:unix:style> as a date; escaped Markdown back to plain characters.
  const withDates = String(text ?? "").replace(/<t:(\d{1,12})(?::\w)?>/g, (_m, s: string) =>
    new Date(Number(s) * 1000).toISOString().replace("T", " ").slice(0, 16),
  );
  return mentions(fake, withDates.replace(/\\([\\*_`~|>#\-[\]()])/g, "$1")).replace(/\*\*(.+?)\*\*/g, "<b>$1</b>");
}

type Component = {
  type?: number;
  style?: number;
  label?: string;
  custom_id?: string;
  url?: string;
  components?: Component[];
};

function renderMessage(fake: DiscordFake, message: FakeMessage, channelId: string, as: string): string {
  const author = fake.model.users.get(message.authorId);
  const embeds = message.embeds
    .map((e) => {
      const fields = ((e.fields as { name: string; value: string }[] | undefined) ?? [])
        .map(
          (f) =>
            `<div class="field"><b>${markdown(fake, f.name)}</b><div class="text">${markdown(fake, f.value)}</div></div>`,
        )
        .join("");
      const color = typeof e.color === "number" ? `#${e.color.toString(16).padStart(6, "0")}` : "#5865f2";
      return `<div class="embed" style="--c:${color}"><h2>${markdown(fake, e.title)}</h2><div class="text">${markdown(fake, e.description)}</div>${fields}</div>`;
    })
    .join("");
  const buttons = (message.components as Component[])
    .flatMap((row) => row.components ?? [])
    .map((c) =>
      c.style === 5 && c.url
        ? `<a class="link" href="${escape(c.url)}">${escape(c.label)}</a>`
        : `<form method="post" action="/_sandbox/channels/${channelId}/messages/${message.id}/click"><input type="hidden" name="custom_id" value="${escape(c.custom_id)}"><input type="hidden" name="as" value="${escape(as)}"><button class="s${c.style ?? 2}" type="submit">${escape(c.label)}</button></form>`,
    )
    .join("");
  return `<article class="msg" aria-label="Message from ${escape(author?.username)}"><div class="meta">${escape(author?.globalName ?? author?.username)} · ${escape(message.createdAt)}${message.editedAt ? " (edited)" : ""}</div>${message.content ? `<div class="text">${markdown(fake, message.content)}</div>` : ""}${embeds}${buttons ? `<div class="row">${buttons}</div>` : ""}</article>`;
}

async function formOf(request: Request): Promise<URLSearchParams> {
  return new URLSearchParams(await request.text());
}

export function createSandboxReviewHandler(options: SandboxReviewOptions) {
  const { fake } = options;
  const m = fake.model;

  /** Where an application's interactions go: the platform's URL, or the own bot's URL under it. */
  const endpointFor = (applicationId: string) =>
    applicationId === options.platformApplicationId()
      ? options.endpoint.url
      : `${options.endpoint.url}/${applicationId}`;
  const applicationOfBot = (botUserId: string) => [...m.applications.values()].find((a) => a.botUserId === botUserId);

  return async (request: Request): Promise<Response | undefined> => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "");
    if (request.method === "PUT" && path === "/_sandbox/interactions-endpoint") {
      const body = (await request.json()) as { url?: unknown };
      if (typeof body.url !== "string" || !/^https?:\/\//.test(body.url))
        return json({ error: "url is required" }, 400);
      options.endpoint.url = body.url.replace(/\/+$/, "");
      return json({ url: options.endpoint.url });
    }
    if (request.method === "GET" && path === "/_sandbox/interactions-endpoint")
      return json({ url: options.endpoint.url });
    if (request.method === "GET" && path === "/_sandbox/channels") {
      const items = [...m.guilds.values()]
        .map((g) => {
          const channels = [...g.channels.values()]
            .filter((c) => c.type === 0 || c.type === 5)
            .map(
              (c) =>
                `<li><a href="/_sandbox/channels/${c.id}">#${escape(c.name)}</a> <span class="meta">${m.channelMessages(c.id).length} messages</span></li>`,
            )
            .join("");
          return `<h2>${escape(g.name)}</h2><ul>${channels || "<li>No text channels</li>"}</ul>`;
        })
        .join("");
      return html("Channels", `<h1>Channels</h1>${items}`);
    }
    const channelMatch = /^\/_sandbox\/channels\/(\d{1,20})(?:\/(modal|messages\/(\d{1,20})\/click))?$/.exec(path);
    if (!channelMatch) return undefined;
    const [, channelId, action, messageId] = channelMatch as unknown as [
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    const found = m.findGuildChannel(channelId);
    if (!found) return html("Unknown channel", "<h1>Unknown channel</h1>", 404);
    const { guild, channel } = found;
    const humans = [...guild.members.keys()].map((id) => m.users.get(id)).filter((u) => u && !u.bot);
    const state = interactionState(fake);

    if (request.method === "GET" && !action) {
      const as = url.searchParams.get("as") ?? guild.ownerId;
      const user = m.users.get(as);
      const picker = `<form method="get"><label>Clicking as <select name="as" onchange="this.form.submit()">${humans
        .map(
          (u) =>
            `<option value="${u!.id}"${u!.id === as ? " selected" : ""}>${escape(u!.globalName ?? u!.username)}</option>`,
        )
        .join("")}</select></label><noscript><button type="submit">Switch</button></noscript></form>`;
      const replies = state.ephemeral
        .filter((r) => r.userId === as)
        .slice(-3)
        .map((r) => `<p class="note" role="status">Only you can see this: ${markdown(fake, r.content)}</p>`)
        .join("");
      const modal = state.modals.get(as);
      const modalForm =
        modal && modal.channelId === channelId
          ? `<form class="msg" method="post" action="/_sandbox/channels/${channelId}/modal" aria-label="${escape(modal.data.title)}"><h2>${escape(modal.data.title)}</h2><input type="hidden" name="as" value="${escape(as)}">${(
              (modal.data.components as {
                label?: string;
                description?: string;
                component?: Component & { max_length?: number };
                components?: (Component & { max_length?: number })[];
              }[]) ?? []
            )
              .map((row) => {
                const input = row.component ?? row.components?.[0];
                const label = row.label ?? input?.label ?? "Text";
                return `<label>${escape(label)}<textarea name="input:${escape(input?.custom_id)}" maxlength="${input?.max_length ?? 4000}" rows="3"></textarea></label>${row.description ? `<div class="meta">${escape(row.description)}</div>` : ""}`;
              })
              .join("")}<div class="row"><button class="s1" type="submit">Submit</button></div></form>`
          : "";
      const messages = m
        .channelMessages(channelId)
        .map((message) => renderMessage(fake, message, channelId, as))
        .join("");
      return html(
        `#${channel.name}`,
        `<h1>#${escape(channel.name)} <span class="meta">${escape(guild.name)}</span></h1><p class="meta"><a href="/_sandbox/channels">All channels</a> · signed in to Discord as ${escape(user?.globalName ?? user?.username ?? as)}</p>${picker}${replies}${modalForm}${messages || "<p>No messages yet.</p>"}`,
      );
    }
    if (request.method === "POST" && action?.startsWith("messages") && messageId) {
      const form = await formOf(request);
      const as = form.get("as") ?? guild.ownerId;
      const message = m.messages.get(messageId);
      const application = message ? applicationOfBot(message.authorId) : undefined;
      if (!message || !application) return html("Unknown message", "<h1>Unknown message</h1>", 404);
      state.modals.delete(as);
      const payload = buttonClickPayload(fake, {
        applicationId: application.id,
        messageId,
        userId: as,
        customId: form.get("custom_id") ?? "",
      });
      await deliver(payload, application.id, as);
      return redirect(`/_sandbox/channels/${channelId}?as=${as}`);
    }
    if (request.method === "POST" && action === "modal") {
      const form = await formOf(request);
      const as = form.get("as") ?? guild.ownerId;
      const modal = state.modals.get(as);
      const message = modal ? m.messages.get(modal.messageId) : undefined;
      const application = message ? applicationOfBot(message.authorId) : undefined;
      if (!modal || !application) return redirect(`/_sandbox/channels/${channelId}?as=${as}`);
      state.modals.delete(as);
      const values = Object.fromEntries(
        [...form.entries()].filter(([k]) => k.startsWith("input:")).map(([k, v]) => [k.slice("input:".length), v]),
      );
      const payload = modalSubmitPayload(fake, {
        applicationId: application.id,
        messageId: modal.messageId,
        userId: as,
        customId: String(modal.data.custom_id ?? ""),
        values,
      });
      await deliver(payload, application.id, as);
      return redirect(`/_sandbox/channels/${channelId}?as=${as}`);
    }
    return undefined;

    async function deliver(
      payload: Parameters<typeof sendInteraction>[1]["payload"],
      applicationId: string,
      as: string,
    ) {
      try {
        const outcome = await sendInteraction(fake, { url: endpointFor(applicationId), payload });
        if (outcome.status !== 200) {
          state.ephemeral.push({
            userId: as,
            content: `The app answered ${outcome.status}: the interaction failed.`,
            at: Date.now(),
          });
        }
      } catch {
        state.ephemeral.push({
          userId: as,
          content: "The app did not answer: the interaction failed.",
          at: Date.now(),
        });
      }
    }
  };
}
