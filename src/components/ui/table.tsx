import type { ReactNode, TableHTMLAttributes } from "react";
import styles from "./table.module.css";

export type TableProps = TableHTMLAttributes<HTMLTableElement> & { caption?: ReactNode; /** Hides the caption visually. */ captionHidden?: boolean };

/** A data table that scrolls sideways inside its own box on narrow screens instead of widening the page. */
export function Table({ caption, captionHidden = false, children, className, ...rest }: TableProps) {
  return (
    <div className={styles.wrap}>
      <table {...rest} className={`${styles.table} ${className ?? ""}`}>
        {caption ? <caption className={captionHidden ? "visually-hidden" : styles.caption}>{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}
