import type { ReactNode, TableHTMLAttributes } from "react";
import styles from "./table.module.css";

export type TableProps = TableHTMLAttributes<HTMLTableElement> & {
  caption?: ReactNode;
  /** Hides the caption visually. */
  captionHidden?: boolean;
  /**
   * Under 640 px every row becomes a card: cells stack, each labelled by its `data-label`, actions wrap inside
   * the card. Without it the table scrolls sideways inside its own box.
   */
  cards?: boolean;
};

/** A data table that never widens the page: cards on phones (with `cards`), its own scroll box otherwise. */
export function Table({ caption, captionHidden = false, cards = false, children, className, ...rest }: TableProps) {
  return (
    <div className={`${styles.wrap} ${cards ? styles.cardsWrap : ""}`}>
      <table {...rest} className={`${styles.table} ${cards ? styles.cards : ""} ${className ?? ""}`}>
        {caption ? <caption className={captionHidden ? "visually-hidden" : styles.caption}>{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}
