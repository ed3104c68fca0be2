import formStyles from "@/components/dashboard/forms.module.css";
import styles from "@/components/bot/bot.module.css";
import { Button } from "./button";
import { Spinner } from "./spinner";

export type LoadStateProps = {
  /** Why the load failed, in words; null while loading. */
  error: string | null;
  onRetry: () => void;
  /** What is being loaded, e.g. "Loading the server's roles…". */
  loading: string;
};

/** What a form that reads Discord first shows until it can render: a spinner, or the failure with Try again. */
export function LoadState({ error, onRetry, loading }: LoadStateProps) {
  if (error) {
    return (
      <div className={styles.row}>
        <p role="alert" className={formStyles.formError}>
          {error}
        </p>
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      </div>
    );
  }
  return (
    <p className={styles.meta}>
      <Spinner size="sm" label="" /> {loading}
    </p>
  );
}
