"use client";
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import styles from "./applications.module.css";

export type FailureReasonProps = {
  /** The tooltip's id, referenced by the trigger's aria-describedby. */
  id: string;
  /** What the tooltip is about (the failed badge). */
  children: ReactNode;
  /** The reason and its fix. */
  reason: string;
};

type Position = { top: number; left: number; side: "below" | "above" };

const GAP = 6;

/**
 * A button whose reason opens on hover, on keyboard focus, and on a click or tap (which keeps it open until the next
 * one, so phones and screen-magnifier users can read it; Escape closes it). The reason is fixed to the viewport, so
 * the table's scroll box does not clip it, and opens upwards when there is no room below.
 */
export function FailureReason({ id, children, reason }: FailureReasonProps) {
  const triggerRef = useRef<HTMLButtonElement>(null);
  const tooltipRef = useRef<HTMLSpanElement>(null);
  const [hovered, setOpen] = useState(false);
  const [pinned, setPinned] = useState(false);
  const open = hovered || pinned;
  const [position, setPosition] = useState<Position | null>(null);

  const place = useCallback(() => {
    const trigger = triggerRef.current?.getBoundingClientRect();
    const tooltip = tooltipRef.current?.getBoundingClientRect();
    if (!trigger || !tooltip) return;
    const fitsBelow = trigger.bottom + GAP + tooltip.height <= window.innerHeight;
    const fitsAbove = trigger.top - GAP - tooltip.height >= 0;
    const side = fitsBelow || !fitsAbove ? "below" : "above";
    const top = side === "below" ? trigger.bottom + GAP : trigger.top - GAP - tooltip.height;
    const left = Math.max(GAP, Math.min(trigger.left, window.innerWidth - GAP - tooltip.width));
    setPosition({ top, left, side });
  }, []);

  // Measured after the open render (the tooltip is laid out while hidden), before paint: no flash at a stale place.
  useLayoutEffect(() => {
    if (open) place();
  }, [open, place]);

  // A scroll anywhere (the page or the table's box) or a resize moves the trigger: follow it.
  useEffect(() => {
    if (!open) return;
    window.addEventListener("scroll", place, true);
    window.addEventListener("resize", place);
    return () => {
      window.removeEventListener("scroll", place, true);
      window.removeEventListener("resize", place);
    };
  }, [open, place]);

  return (
    <span className={styles.failedWrap}>
      <button
        ref={triggerRef}
        type="button"
        className={styles.failed}
        aria-describedby={id}
        aria-expanded={open}
        onClick={() => setPinned((p) => !p)}
        onMouseEnter={() => setOpen(true)}
        onMouseLeave={() => setOpen(false)}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          setPinned(false);
        }}
        onKeyDown={(event) => {
          if (event.key === "Escape" && open) {
            event.stopPropagation();
            setOpen(false);
            setPinned(false);
          }
        }}
      >
        {children}
      </button>
      <span
        ref={tooltipRef}
        role="tooltip"
        id={id}
        className={styles.reason}
        data-open={open && position ? "true" : undefined}
        data-side={position?.side}
        style={position ? { top: position.top, left: position.left } : undefined}
      >
        {reason}
      </span>
    </span>
  );
}
