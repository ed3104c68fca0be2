"use client";
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import styles from "./toast.module.css";

export type ToastTone = "info" | "success" | "danger";
type ToastItem = { id: number; tone: ToastTone; message: string };
export type Toaster = { show: (message: string, tone?: ToastTone) => void };

const ToastContext = createContext<Toaster | null>(null);

/** How long a confirmation stays; a failure stays until dismissed (people read it, then act on it). */
export const SUCCESS_TOAST_MS = 6000;

/** Short confirmations and failures in one corner, announced politely (errors assertively). */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setItems((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (message: string, tone: ToastTone = "info") => {
      const id = next.current++;
      setItems((all) => [...all.slice(-3), { id, tone, message }]);
      if (tone !== "danger") setTimeout(() => dismiss(id), SUCCESS_TOAST_MS);
    },
    [dismiss],
  );
  const value = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className={styles.corner}>
        <div className={styles.region} aria-live="polite" role="status">
          {items
            .filter((t) => t.tone !== "danger")
            .map((t) => (
              <Toast key={t.id} item={t} onDismiss={dismiss} />
            ))}
        </div>
        <div className={styles.region} aria-live="assertive" role="alert">
          {items
            .filter((t) => t.tone === "danger")
            .map((t) => (
              <Toast key={t.id} item={t} onDismiss={dismiss} />
            ))}
        </div>
      </div>
    </ToastContext.Provider>
  );
}

function Toast({ item, onDismiss }: { item: ToastItem; onDismiss: (id: number) => void }) {
  return (
    <div className={`${styles.toast} ${styles[item.tone]}`}>
      <span>{item.message}</span>
      <button type="button" className={styles.close} onClick={() => onDismiss(item.id)} aria-label="Dismiss message">
        ×
      </button>
    </div>
  );
}

/** Falls back to a no-op outside a provider so a component never crashes for want of toasts. */
export function useToast(): Toaster {
  return useContext(ToastContext) ?? { show: () => {} };
}
