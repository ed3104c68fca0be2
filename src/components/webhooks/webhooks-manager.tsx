"use client";
// Length (past ~300 lines): endpoints, their secrets shown once and the delivery log share one selection state.
import { useState, type FormEvent } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, Notice } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, inputClass } from "@/components/ui/field";
import { Table } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { toggled } from "@/components/ui/toggled";
import formStyles from "@/components/dashboard/forms.module.css";
import styles from "./webhooks.module.css";

export type EndpointRow = {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  consecutiveFailures: number;
  disabledAt: string | null;
  disabledReason: string | null;
};

type DeliveryRow = {
  id: string;
  eventType: string;
  status: "PENDING" | "SUCCEEDED" | "FAILED";
  attempts: number;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
};

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");
const TONE = { PENDING: "neutral", SUCCEEDED: "success", FAILED: "danger" } as const;
const STATUS_WORDS = { PENDING: "Pending", SUCCEEDED: "Delivered", FAILED: "Failed" } as const;

function DeliveryLog({ slug, endpointId }: { slug: string; endpointId: string }) {
  const toast = useToast();
  const [items, setItems] = useState<DeliveryRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function load() {
    setError(null);
    try {
      const page = await apiFetch<{ items: DeliveryRow[] }>(
        `/api/orgs/${slug}/webhooks/${endpointId}/deliveries?limit=25`,
      );
      setItems(page.items);
    } catch (e) {
      setError(describeApiError(e));
    }
  }
  async function redeliver(id: string) {
    try {
      await apiFetch(`/api/orgs/${slug}/webhooks/${endpointId}/deliveries/${id}/redeliver`, { method: "POST" });
      toast.show("Queued for redelivery.", "success");
      await load();
    } catch (e) {
      toast.show(describeApiError(e), "danger");
    }
  }
  if (items === null) {
    return (
      <div>
        <Button size="sm" variant="ghost" onClick={load}>
          Show recent deliveries
        </Button>
        {error ? (
          <p role="alert" className={formStyles.formError}>
            {error}
          </p>
        ) : null}
      </div>
    );
  }
  if (items.length === 0)
    return <p className={styles.muted}>No deliveries yet. Send a test event to try the endpoint.</p>;
  return (
    <div className={styles.log}>
      <Table caption="Recent deliveries">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Response</th>
            <th scope="col">Latency</th>
            <th scope="col">Last attempt</th>
            <th scope="col">Next attempt</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id}>
              <td>
                <code>{d.eventType}</code>
              </td>
              <td>
                <Badge tone={TONE[d.status]}>{STATUS_WORDS[d.status]}</Badge>
                {d.lastError ? <div className={styles.muted}>{d.lastError}</div> : null}
              </td>
              <td>{d.attempts}</td>
              <td>{d.lastStatusCode ?? "—"}</td>
              <td>{d.lastLatencyMs === null ? "—" : `${d.lastLatencyMs} ms`}</td>
              <td>{when(d.lastAttemptAt)}</td>
              <td>{d.status === "PENDING" ? when(d.nextAttemptAt) : "—"}</td>
              <td>
                {d.attempts > 0 ? (
                  <Button size="sm" onClick={() => redeliver(d.id)}>
                    Redeliver
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

export function WebhooksManager({
  slug,
  initial,
  eventTypes,
}: {
  slug: string;
  initial: EndpointRow[];
  eventTypes: string[];
}) {
  const toast = useToast();
  const [endpoints, setEndpoints] = useState(initial);
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<Set<string>>(new Set(eventTypes));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<{ url: string; secret: string; rotated: boolean } | null>(null);
  const [deleting, setDeleting] = useState<EndpointRow | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await apiFetch<{ endpoint: EndpointRow; secret: string }>(`/api/orgs/${slug}/webhooks`, {
        method: "POST",
        body: { url: url.trim(), description: description.trim(), eventTypes: [...events] },
      });
      setEndpoints((all) => [...all, created.endpoint]);
      setShown({ url: created.endpoint.url, secret: created.secret, rotated: false });
      setUrl("");
      setDescription("");
    } catch (e) {
      setError(describeApiError(e));
    } finally {
      setBusy(false);
    }
  }

  async function act(endpoint: EndpointRow, action: "test" | "rotate" | "enable" | "pause") {
    try {
      if (action === "test") {
        await apiFetch(`/api/orgs/${slug}/webhooks/${endpoint.id}/test`, { method: "POST" });
        toast.show("Test event queued. It shows up in the delivery log within seconds.", "success");
      } else if (action === "rotate") {
        const rotated = await apiFetch<{ secret: string }>(`/api/orgs/${slug}/webhooks/${endpoint.id}/rotate-secret`, {
          method: "POST",
        });
        setShown({ url: endpoint.url, secret: rotated.secret, rotated: true });
      } else {
        const { endpoint: updated } = await apiFetch<{ endpoint: EndpointRow }>(
          `/api/orgs/${slug}/webhooks/${endpoint.id}`,
          {
            method: "PATCH",
            body: { enabled: action === "enable" },
          },
        );
        setEndpoints((all) => all.map((e) => (e.id === updated.id ? updated : e)));
        toast.show(
          action === "enable"
            ? "Enabled. New events are sent again."
            : "Paused. No events are sent until you enable it.",
          "success",
        );
      }
    } catch (e) {
      toast.show(describeApiError(e), "danger");
    }
  }

  async function remove() {
    if (!deleting) return;
    try {
      await apiFetch(`/api/orgs/${slug}/webhooks/${deleting.id}`, { method: "DELETE" });
      setEndpoints((all) => all.filter((e) => e.id !== deleting.id));
      toast.show("Endpoint deleted.", "success");
      setDeleting(null);
    } catch (e) {
      toast.show(describeApiError(e), "danger");
    }
  }

  return (
    <div className={styles.layout}>
      {shown ? (
        <Notice tone="warning" title={`Copy the signing secret for ${shown.url} now`} role="status">
          <p>
            This is the only time it is shown.{" "}
            {shown.rotated
              ? "The previous secret keeps signing for 24 hours (both signatures are sent), so update your receiver within a day."
              : "Your receiver verifies each delivery with it."}
          </p>
          <div className={styles.secret}>
            <code data-testid="webhook-secret" className={styles.secretValue}>
              {shown.secret}
            </code>
            <Button size="sm" variant="ghost" onClick={() => setShown(null)}>
              Done
            </Button>
          </div>
        </Notice>
      ) : null}
      <Card
        title="Add an endpoint"
        description="An HTTPS URL of yours that answers 2xx. Failed deliveries are retried with growing delays for about a day."
      >
        <form onSubmit={create} className={formStyles.form} noValidate>
          <Field label="URL" hint="e.g. https://example.com/hooks/guildgate">
            {(p) => (
              <input
                {...p}
                type="url"
                className={inputClass}
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                maxLength={2000}
                required
              />
            )}
          </Field>
          <Field label="Description" hint="Optional: what receives it.">
            {(p) => (
              <input
                {...p}
                className={inputClass}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                maxLength={300}
              />
            )}
          </Field>
          <fieldset className={formStyles.checks}>
            <legend>Events</legend>
            {eventTypes.map((type) => (
              <label key={type} className={formStyles.check}>
                <input
                  type="checkbox"
                  checked={events.has(type)}
                  onChange={(e) => setEvents((all) => toggled(all, type, e.target.checked))}
                />
                <span>
                  <code>{type}</code>
                </span>
              </label>
            ))}
          </fieldset>
          {error ? (
            <p role="alert" className={formStyles.formError}>
              {error}
            </p>
          ) : null}
          <div className={formStyles.actions}>
            <Button type="submit" variant="primary" loading={busy} disabled={!url.trim() || events.size === 0}>
              Add endpoint
            </Button>
          </div>
        </form>
      </Card>
      {endpoints.length === 0 ? (
        <EmptyState title="No webhook endpoints">
          Add one above to be told about applications as they happen instead of polling.
        </EmptyState>
      ) : (
        endpoints.map((e) => (
          <Card key={e.id} title={<span className={styles.url}>{e.url}</span>} description={e.description || undefined}>
            <div className={styles.endpoint}>
              <div>
                {e.enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="danger">Disabled</Badge>}{" "}
                {!e.enabled && e.disabledReason ? <span className={styles.muted}>{e.disabledReason}</span> : null}
                {e.enabled && e.consecutiveFailures > 0 ? (
                  <span className={styles.muted}>{e.consecutiveFailures} failed deliveries in a row</span>
                ) : null}
              </div>
              <div className={styles.events}>
                {e.eventTypes.map((t) => (
                  <code key={t} className={styles.event}>
                    {t}
                  </code>
                ))}
              </div>
              <div className={styles.actions}>
                <Button size="sm" onClick={() => act(e, "test")} disabled={!e.enabled}>
                  Send test event
                </Button>
                <Button size="sm" onClick={() => act(e, "rotate")}>
                  Rotate secret
                </Button>
                {e.enabled ? (
                  <Button size="sm" onClick={() => act(e, "pause")}>
                    Pause
                  </Button>
                ) : (
                  <Button size="sm" variant="primary" onClick={() => act(e, "enable")}>
                    Enable
                  </Button>
                )}
                <Button size="sm" variant="danger" onClick={() => setDeleting(e)}>
                  Delete
                </Button>
              </div>
              <DeliveryLog slug={slug} endpointId={e.id} />
            </div>
          </Card>
        ))
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this endpoint?"
        confirmLabel="Delete"
        variant="danger"
        onConfirm={remove}
        onCancel={() => setDeleting(null)}
      >
        <p>{deleting?.url} stops receiving events and its delivery log is deleted.</p>
      </ConfirmDialog>
    </div>
  );
}
