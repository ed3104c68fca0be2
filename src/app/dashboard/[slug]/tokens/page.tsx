import Link from "next/link";
import { TokensManager, type TokenRow } from "@/components/tokens/tokens-manager";
import { PageHeader } from "@/components/ui/card";
import { listTokens } from "@/lib/security/api-tokens";
import { requireOrgPage } from "@/lib/security/page-guard";

export const metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export default async function TokensPage({ params }: Props) {
  const { slug } = await params;
  const ctx = await requireOrgPage(slug, "tokens:manage");
  const tokens = await listTokens(ctx.organization.id);
  const rows: TokenRow[] = tokens.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: iso(t.lastUsedAt),
    expiresAt: iso(t.expiresAt),
    revokedAt: iso(t.revokedAt),
  }));
  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            Scoped, revocable credentials for services that call Guildgate. Tokens are stored hashed and shown once. See
            the <Link href="/docs/api">API reference</Link>; to be told about events instead of polling, add{" "}
            <Link href={`/dashboard/${ctx.organization.slug}/webhooks`}>webhooks</Link>.
          </>
        }
      />
      {/* eslint-disable-next-line react-hooks/purity -- reason: a server component renders once per request; the client hydrates with this same time */}
      <TokensManager slug={ctx.organization.slug} initial={rows} now={Date.now()} />
    </>
  );
}
