// /apply/<org>: the organization's only open form, or the list of its open forms (apply-view.tsx).
import type { Metadata } from "next";
import { ApplyView } from "./apply-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Apply" };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ error?: string }> };

export default async function ApplyPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { error } = await searchParams;
  return <ApplyView slug={slug} formSlug={null} error={error} />;
}
