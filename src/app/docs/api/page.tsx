// The API reference for people: the OpenAPI document rendered on the server (no third-party viewer, no CDN).
import Link from "next/link";
import { referenceModel, type ReferenceOperation } from "@/lib/openapi/reference";
import styles from "./reference.module.css";

export const metadata = { title: "API reference" };

function Operation({ op }: { op: ReferenceOperation }) {
  return (
    <section id={op.anchor} className={styles.operation}>
      <h3>
        <span className={styles.method}>{op.method}</span> <code>{op.path}</code>
      </h3>
      <p>{op.summary}</p>
      {op.description ? <p className={styles.muted}>{op.description}</p> : null}
      {op.parameters.length ? (
        <table className={styles.table}>
          <caption>Parameters</caption>
          <thead>
            <tr>
              <th scope="col">name</th>
              <th scope="col">in</th>
              <th scope="col">required</th>
              <th scope="col">about</th>
            </tr>
          </thead>
          <tbody>
            {op.parameters.map((p) => (
              <tr key={`${p.in}-${p.name}`}>
                <td>
                  <code>{p.name}</code>
                </td>
                <td>{p.in}</td>
                <td>{p.required ? "yes" : "no"}</td>
                <td>{p.description ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {op.requestSchema ? (
        <p>
          Body: <a href={`#schema-${op.requestSchema}`}>{op.requestSchema}</a>
        </p>
      ) : null}
      <table className={styles.table}>
        <caption>Responses</caption>
        <thead>
          <tr>
            <th scope="col">status</th>
            <th scope="col">meaning</th>
            <th scope="col">body</th>
          </tr>
        </thead>
        <tbody>
          {op.responses.map((r) => (
            <tr key={r.status}>
              <td>{r.status}</td>
              <td>{r.description}</td>
              <td>{r.schema ? <a href={`#schema-${r.schema}`}>{r.schema}</a> : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export default function ApiReferencePage() {
  const model = referenceModel();
  return (
    <main className={styles.page}>
      <h1>{model.title}</h1>
      <p>{model.description}</p>
      <p>
        Machine-readable: <Link href="/api/openapi.json">/api/openapi.json</Link> (OpenAPI 3.1).
      </p>
      <nav aria-label="Operations">
        <ul>
          {[...model.operations, ...model.webhooks].map((op) => (
            <li key={op.anchor}>
              <a href={`#${op.anchor}`}>
                {op.method} {op.path}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2>Operations</h2>
      {model.operations.map((op) => (
        <Operation key={op.anchor} op={op} />
      ))}
      <h2>Webhooks</h2>
      <p>Events your endpoints receive. Configure endpoints in the dashboard under Webhooks.</p>
      {model.webhooks.map((op) => (
        <Operation key={op.anchor} op={op} />
      ))}
      <h2>Schemas</h2>
      {model.schemas.map((s) => (
        <section key={s.name} id={`schema-${s.name}`}>
          <h3>{s.name}</h3>
          <pre className={styles.schema}>{s.json}</pre>
        </section>
      ))}
    </main>
  );
}
