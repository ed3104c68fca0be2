"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { describeApiError } from "@/components/api/client";
import { useToast } from "@/components/ui/toast";
import { retryApplication, reviewApplication } from "./api";
import { RowActions } from "./row-actions";
import { isSettling, type ApplicationRow } from "./types";

/** The detail page's actions; after each one (and while the role is being assigned) the server view re-renders. */
export function ApplicationActions({ slug, row }: { slug: string; row: ApplicationRow }) {
  const router = useRouter();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const settling = isSettling(row.status);
  useEffect(() => {
    if (!settling) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [settling, router]);
  return (
    <RowActions
      row={row}
      busy={busy}
      onAct={async (action) => {
        setBusy(true);
        try {
          if (action === "retry") await retryApplication(slug, row.id);
          else await reviewApplication(slug, row.id, action);
          router.refresh();
        } catch (error) {
          toast.show(describeApiError(error), "danger");
        } finally {
          setBusy(false);
        }
      }}
    />
  );
}
