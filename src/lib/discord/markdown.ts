// The one escape for text a user supplied (display names, form names, answers, reasons) that goes into a message
// Discord renders: every Markdown character is taken literally, so a name like "[Verify here](https://...)" shows
// as typed instead of as a working masked link, a heading or a spoiler (issue 23 item 5). Mentions are made inert
// separately (neutralizeMentions in notifications/templates.ts) and every message sends allowed_mentions: [] too.
// Used by every renderer: the review message, the log line, the decision DMs and the ephemeral replies.

const MARKDOWN = /([\\*_`~|>#\-[\]()])/g;

export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN, "\\$1");
}
