// Search box and CSV download for the applications page: a plain GET form (works without JavaScript), keeping
// the status filter; the download link exports exactly what the filters show.
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import styles from "./applications-search.module.css";

export function exportHref(path: string, status: string, q: string): string {
  const p = new URLSearchParams();
  if (status) p.set("status", status);
  if (q) p.set("q", q);
  const qs = p.toString();
  return qs ? `${path}?${qs}` : path;
}

export function ApplicationsSearch({
  action,
  status,
  q,
  exportHref: download,
}: {
  action: string;
  status: string;
  q: string;
  exportHref: string;
}) {
  return (
    <div className={styles.bar}>
      <form method="get" action={action} role="search" className={styles.form}>
        {status ? <input type="hidden" name="status" value={status} /> : null}
        <label htmlFor="applications-q" className="visually-hidden">
          Search applications
        </label>
        <input
          id="applications-q"
          name="q"
          type="search"
          defaultValue={q}
          maxLength={200}
          className={`${inputClass} ${styles.input}`}
          placeholder="Name, Discord ID or answer text"
        />
        <button type="submit" className={buttonClass("secondary")}>
          Search
        </button>
      </form>
      <a href={download} className={buttonClass("ghost")} download>
        Download CSV
      </a>
    </div>
  );
}
