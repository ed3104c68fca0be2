import { useId, type ReactNode } from "react";
import styles from "./field.module.css";

export type FieldControlProps = { id: string; "aria-describedby"?: string; "aria-invalid"?: true };

export type FieldProps = {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  /** Shows "n of max characters" under the control, before the limit is hit (announced once it is near). */
  limit?: { used: number; max: number };
  /** Receives the id and ARIA attributes to spread on the input, select or textarea. */
  children: (control: FieldControlProps) => ReactNode;
};

/** A labelled form control with an optional hint and error, wired for screen readers. */
export function Field({ label, hint, error, limit, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const countId = limit ? `${id}-count` : undefined;
  const describedBy = [hintId, countId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {hint ? (
        <p id={hintId} className={styles.hint}>
          {hint}
        </p>
      ) : null}
      {limit ? <CharacterCount id={countId!} {...limit} /> : null}
      {error ? (
        <p id={errorId} className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Class names for inputs so every form looks the same. */
export const inputClass = styles.input;

/** "120 of 2,000 characters": visible all the time, announced only in the last tenth, so typing stays quiet. */
export function CharacterCount({
  id,
  used,
  max,
  className,
}: {
  id: string;
  used: number;
  max: number;
  className?: string;
}) {
  const near = used >= max * 0.9;
  return (
    <p
      id={id}
      className={`${styles.count} ${className ?? ""}`}
      data-near={near || undefined}
      aria-live={near ? "polite" : "off"}
    >
      {used.toLocaleString("en-US")} of {max.toLocaleString("en-US")} characters{used >= max ? " (the limit)" : ""}
    </p>
  );
}
