import styles from "@/components/dashboard/forms.module.css";

/** A form's message in words, announced, and where focus goes when no single field is at fault. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className={styles.formError} data-form-error="">
      {message}
    </p>
  );
}
