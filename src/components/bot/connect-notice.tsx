import { botConnectError } from "@/components/dashboard/messages";
import { Notice } from "@/components/ui/card";

/** The outcome the bot callback redirected back with (`?error=<code>` or `?success=bot_connected`), in words. */
export function ConnectNotice({ error, success }: { error?: string; success?: string }) {
  if (error) {
    const message = botConnectError(error);
    return (
      <Notice tone="danger" title={message.title} role="alert">
        <p>{message.text}</p>
      </Notice>
    );
  }
  if (success === "bot_connected") {
    return (
      <Notice tone="success" title="The bot is connected" role="status">
        <p>Approvals now give the approved role in your server. Check the server health below.</p>
      </Notice>
    );
  }
  return null;
}
