"use client";
// Sends a failed decision message again (POST .../messages/<id>/resend); the page then shows it sending.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";

export type ResendButtonProps = { slug: string; applicationId: string; messageId: string };

export function ResendButton({ slug, applicationId, messageId }: ResendButtonProps) {
  const router = useRouter();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  async function resend() {
    setBusy(true);
    try {
      await apiFetch(
        `/api/orgs/${encodeURIComponent(slug)}/applications/${applicationId}/messages/${messageId}/resend`,
        { method: "POST" },
      );
      toast.show("Sending the message again.", "success");
      router.refresh();
    } catch (e) {
      toast.show(describeApiError(e), "danger");
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button variant="secondary" size="sm" onClick={resend} loading={busy}>
      Send again
    </Button>
  );
}
