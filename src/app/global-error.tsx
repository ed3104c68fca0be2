"use client";
// Errors of the root layout itself (error.tsx covers everything below it): the same two messages, in their own
// document, with inline styles since the root layout's stylesheet may be what failed.
import { isOutageDigest } from "@/lib/errors/outage-digest";

type Props = { error: Error & { digest?: string }; reset: () => void };

export default function GlobalError({ error, reset }: Props) {
  const outage = isOutageDigest(error);
  return (
    <html lang="en">
      <body
        style={{
          fontFamily: "system-ui, sans-serif",
          display: "grid",
          placeItems: "center",
          minHeight: "100vh",
          margin: 0,
          padding: 16,
          textAlign: "center",
        }}
      >
        <main>
          <p style={{ color: "#666", letterSpacing: "0.1em" }}>{outage ? "503" : "500"}</p>
          <h1>{outage ? "Guildgate is temporarily unavailable" : "Something went wrong on our side"}</h1>
          <p>
            {outage
              ? "We cannot reach our database right now. Try again in a few seconds."
              : "The page could not be shown. Try again in a moment."}
          </p>
          <button type="button" onClick={reset} style={{ font: "inherit", padding: "8px 16px" }}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
