"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { useAction } from "@/components/ui/use-action";

export function DisconnectButton({ slug, guildName }: { slug: string; guildName: string | null }) {
  const router = useRouter();
  const action = useAction();
  const [open, setOpen] = useState(false);
  async function disconnect() {
    const result = await action.run(
      () => apiFetch<{ leftGuild: boolean | "not_in_guild" }>(`/api/orgs/${slug}/bot`, { method: "DELETE" }),
      {
        errorTo: "toast",
        success: (r) =>
          r.leftGuild === false
            ? "Disconnected. The bot could not leave the server by itself; remove it there."
            : "Disconnected. The bot left the server.",
      },
    );
    if (!result) return;
    setOpen(false);
    router.replace(`/dashboard/${slug}/settings`);
    router.refresh();
  }
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Disconnect
      </Button>
      <ConfirmDialog
        open={open}
        title="Disconnect the bot?"
        confirmLabel="Disconnect"
        busy={action.pending}
        onConfirm={() => void disconnect()}
        onCancel={() => setOpen(false)}
      >
        <p>
          The bot leaves {guildName ? <strong>{guildName}</strong> : "the server"} and approvals stop giving roles until
          you connect again. Roles already given stay.
        </p>
      </ConfirmDialog>
    </>
  );
}
