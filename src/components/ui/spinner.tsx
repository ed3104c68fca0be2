import styles from "./spinner.module.css";

export type SpinnerProps = {
  size?: "sm" | "md";
  /** Announced to screen readers; "" when the surrounding text already says it. */ label?: string;
};

export function Spinner({ size = "md", label = "Loading" }: SpinnerProps) {
  return (
    <span
      className={`${styles.spinner} ${size === "sm" ? styles.sm : ""}`}
      role={label ? "status" : undefined}
      aria-hidden={label ? undefined : true}
    >
      {label ? <span className="visually-hidden">{label}</span> : null}
    </span>
  );
}
