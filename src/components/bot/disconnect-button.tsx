"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";

export function DisconnectButton({ slug, guildName }: { slug: string; guildName: string | null }) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  async function disconnect() {
    setBusy(true);
    try {
      const result = await apiFetch<{ leftGuild: boolean | "not_in_guild" }>(`/api/orgs/${slug}/bot`, {
        method: "DELETE",
      });
      toast.show(
        result.leftGuild === false
          ? "Disconnected. The bot could not leave the server by itself; remove it there."
          : "Disconnected. The bot left the server.",
        "success",
      );
      setOpen(false);
      router.replace(`/dashboard/${slug}/settings`);
      router.refresh();
    } catch (e) {
      toast.show(describeApiError(e), "danger");
    } finally {
      setBusy(false);
    }
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
        busy={busy}
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
