import { redirect } from "next/navigation";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** People type /login; the page is /signin. The query (?next=...) goes along; /signin checks it. */
export default async function LoginRedirect({ searchParams }: Props) {
  const params = await searchParams;
  const query = new URLSearchParams(
    Object.entries(params).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
  );
  const qs = query.toString();
  redirect(qs ? `/signin?${qs}` : "/signin");
}
