"use client";
// The one shape every dashboard form and button shares: run an API call, show it pending, keep the failure in
// words (inline, per field, or as a toast), announce success. Components call `run` instead of repeating
// try/catch/finally with their own busy and error state.
import { useCallback, useEffect, useRef, useState } from "react";
import { describeApiError, fieldProblems } from "@/components/api/client";
import { useToast } from "./toast";

export type ActionOptions<R> = {
  /** A toast after success (a function receives the result). */
  success?: string | ((result: R) => string);
  /** "inline" keeps the message in `error` (and per field in `fieldErrors`); "toast" shows it as an error toast. */
  errorTo?: "inline" | "toast";
  /** Field labels, so a server problem reads "Discord user id: ..." rather than naming a JSON path. */
  labels?: Record<string, string>;
  /** Which of several buttons started this run (`pendingKey`), so the spinner shows on the one clicked. */
  key?: string;
};

export type Action = {
  /** Resolves to the result, or undefined when it failed (the failure is already shown). */
  run: <R>(fn: () => Promise<R>, options?: ActionOptions<R>) => Promise<R | undefined>;
  pending: boolean;
  pendingKey: string | null;
  error: string | null;
  /** Server problems by field path (validation_failed details). */
  fieldErrors: Record<string, string>;
  /** Shows a message as if the action had failed with it (client-side checks use this too). */
  fail: (message: string, fieldErrors?: Record<string, string>) => void;
  reset: () => void;
  /**
   * A callback ref for the <form>: after a failure, focus moves to its first invalid field (or its error message).
   * A function rather than a ref object, so reading the action's state during render is not reading a ref.
   */
  bindForm: (node: HTMLFormElement | null) => void;
  /** The bound form, for event handlers. */
  formElement: () => HTMLFormElement | null;
};

/** The first control marked invalid, else the form's own error message: where a person should look next. */
export function focusFirstInvalid(form: HTMLElement | null): void {
  if (!form) return;
  const target =
    form.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.querySelector<HTMLElement>("[data-form-error]");
  if (!target) return;
  if (!target.matches("input, select, textarea, button, [tabindex]")) target.setAttribute("tabindex", "-1");
  target.focus();
}

export function useAction(): Action {
  const toast = useToast();
  const [pendingKey, setPendingKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  // A second click while one run is in flight is ignored (a double submit would create two tokens).
  const running = useRef(false);
  const formRef = useRef<HTMLFormElement | null>(null);
  // Bumped by each failure, so the same message twice still moves focus.
  const [failures, setFailures] = useState(0);
  useEffect(() => {
    if (failures) focusFirstInvalid(formRef.current);
  }, [failures]);

  const reset = useCallback(() => {
    setError(null);
    setFieldErrors({});
  }, []);

  const fail = useCallback((message: string, fields: Record<string, string> = {}) => {
    setError(message);
    setFieldErrors(fields);
    setFailures((n) => n + 1);
  }, []);

  const run = useCallback(
    async <R>(fn: () => Promise<R>, options: ActionOptions<R> = {}): Promise<R | undefined> => {
      if (running.current) return undefined;
      running.current = true;
      setPendingKey(options.key ?? "default");
      reset();
      try {
        const result = await fn();
        if (options.success)
          toast.show(typeof options.success === "function" ? options.success(result) : options.success, "success");
        return result;
      } catch (e) {
        const message = describeApiError(e, options.labels);
        if (options.errorTo === "toast") toast.show(message, "danger");
        else {
          setError(message);
          setFieldErrors(Object.fromEntries(fieldProblems(e).map((p) => [p.path, p.message])));
          setFailures((n) => n + 1);
        }
        return undefined;
      } finally {
        running.current = false;
        setPendingKey(null);
      }
    },
    [reset, toast],
  );

  const bindForm = useCallback((node: HTMLFormElement | null) => {
    formRef.current = node;
  }, []);
  const formElement = useCallback(() => formRef.current, []);
  return { run, pending: pendingKey !== null, pendingKey, error, fieldErrors, fail, reset, bindForm, formElement };
}
