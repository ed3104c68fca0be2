import type { ConnectionState } from "@/generated/prisma/enums";
import { Badge } from "@/components/ui/badge";
import { Spinner } from "@/components/ui/spinner";

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  switch (state) {
    case "CONNECTED":
      return <Badge tone="success">Connected</Badge>;
    case "CONNECTING":
      return (
        <Badge tone="warning">
          <Spinner size="sm" label="" /> Connecting…
        </Badge>
      );
    case "ERROR":
      return <Badge tone="danger">Connection failed</Badge>;
    case "DISCONNECTED":
      return <Badge>Not connected</Badge>;
  }
}
