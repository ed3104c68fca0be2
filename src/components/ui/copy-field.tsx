"use client";
import { useState } from "react";
import { Button } from "./button";
import { useToast } from "./toast";
import styles from "./copy-field.module.css";

/** A value to share (a link, a token) shown in full, with a Copy button that says when it worked. */
export function CopyField({ value, label, href }: { value: string; label: string; href?: string }) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2500);
    } catch {
      toast.show("The browser blocked copying. Select the link and copy it by hand.", "danger");
    }
  }
  return (
    <div className={styles.copy}>
      {href ? (
        <a href={href} className={styles.value} data-testid="copy-value">
          {value}
        </a>
      ) : (
        <code className={styles.value} data-testid="copy-value">
          {value}
        </code>
      )}
      <Button size="sm" onClick={() => void copy()} aria-label={`${copied ? "Copied" : "Copy"} ${label}`}>
        {copied ? "Copied" : "Copy"}
      </Button>
    </div>
  );
}
