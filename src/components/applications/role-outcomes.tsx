// The last role job's result per role: which roles were added or removed, which were already so, and which failed
// and why (a partial failure names its role).
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";

type Outcome = { roleId: string; roleName: string | null; action: "add" | "remove"; result: string; message?: string };

const RESULT: Record<string, { text: string; tone: "success" | "neutral" | "danger" }> = {
  added: { text: "Added", tone: "success" },
  removed: { text: "Removed", tone: "success" },
  already_present: { text: "Already had it", tone: "neutral" },
  already_absent: { text: "Already without it", tone: "neutral" },
  member_left: { text: "Not in the server", tone: "neutral" },
  failed: { text: "Failed", tone: "danger" },
};

export function RoleOutcomes({ outcomes }: { outcomes: unknown }) {
  const list = Array.isArray(outcomes) ? (outcomes as Outcome[]) : [];
  if (!list.length) return null;
  return (
    <Card title="Roles in Discord" description="The last role change, role by role.">
      <ul aria-label="Role outcomes" style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: 8 }}>
        {list.map((o) => {
          const r = RESULT[o.result] ?? { text: o.result, tone: "neutral" as const };
          return (
            <li key={`${o.action}-${o.roleId}`} data-role-id={o.roleId} data-result={o.result}>
              <strong>
                {o.action === "add" ? "Add" : "Remove"} {o.roleName ?? o.roleId}
              </strong>{" "}
              <Badge tone={r.tone}>{r.text}</Badge>
              {o.result === "failed" && o.message ? <div>{o.message}</div> : null}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
