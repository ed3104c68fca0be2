// /apply/<org>/<form>: one form of the organization (apply-view.tsx).
import type { Metadata } from "next";
import { ApplyView } from "../apply-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Apply" };

type Props = { params: Promise<{ slug: string; form: string }>; searchParams: Promise<{ error?: string }> };

export default async function ApplyFormPage({ params, searchParams }: Props) {
  const { slug, form } = await params;
  const { error } = await searchParams;
  // Awaited here, so a failure (an outage) is this page's own error with its digest.
  return await ApplyView({ slug, formSlug: form, error });
}
