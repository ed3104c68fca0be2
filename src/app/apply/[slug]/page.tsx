// /apply/<org>: the organization's only open form, or the list of its open forms (apply-view.tsx).
import type { Metadata } from "next";
import { findApplyOrganizationOrThrow } from "@/lib/applications/intake/apply-page";
import { getBotConnection } from "@/lib/bot-connection/get-connection";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors/app-error";
import { ApplyView, shareDescription } from "./apply-view";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  try {
    const organization = await findApplyOrganizationOrThrow(slug);
    const { guildName } = await getBotConnection({ organizationId: organization.id });
    const title = `Apply to join ${guildName ?? organization.name}`;
    const description = shareDescription(organization.name, guildName);
    const url = new URL(`/apply/${organization.slug}`, env.APP_URL).toString();
    return {
      title,
      description,
      openGraph: { title, description, url, siteName: "Guildgate", type: "website" },
      twitter: { card: "summary", title, description },
    };
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") return { title: "Application page not found" };
    throw e;
  }
}

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ error?: string }> };

export default async function ApplyPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { error } = await searchParams;
  // Awaited here, so a failure (an outage) is this page's own error with its digest.
  return await ApplyView({ slug, formSlug: null, error });
}
