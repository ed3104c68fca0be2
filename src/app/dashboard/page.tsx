import { DashboardShell } from "@/components/shell/dashboard-shell";

export const metadata = { title: "Dashboard" };

export default function DashboardPage() {
  return (
    <DashboardShell nav={[{ href: "/dashboard", label: "Organizations", current: true }]}>
      <h1>Dashboard</h1>
      <p>Sign in with Discord to see your organizations.</p>
    </DashboardShell>
  );
}
