// Works around prisma/prisma#27403: @prisma/adapter-pg cannot decode PostgreSQL catalog columns of type `name`
// (OID 19) and `"char"` (OID 18), so the WASM schema engine fails during migrate with
// "Column type 'name' could not be deserialized". This Client rewrites those field types to `text` (OID 25) in
// query results. Used only by prisma.config.ts (migrations); the runtime client never reads catalog columns.
import pg from "pg";

const CATALOG_TYPE_IDS = new Set([18, 19]);
const TEXT_TYPE_ID = 25;

type WithFields = { fields?: Array<{ dataTypeID: number }> };

function rewriteFields<T>(result: T): T {
  const results = Array.isArray(result) ? result : [result];
  for (const r of results as WithFields[]) {
    for (const field of r?.fields ?? []) {
      if (CATALOG_TYPE_IDS.has(field.dataTypeID)) field.dataTypeID = TEXT_TYPE_ID;
    }
  }
  return result;
}

export class CatalogTextClient extends pg.Client {
  // pg's query() has many overloads (promise, callback, config object); handle both completion styles.
  // @ts-expect-error pg's overloads return Promise<QueryResult> or void; one implementation serves them all.
  override query(...args: unknown[]): unknown {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      const callback = last as (err: Error | null, res: unknown) => void;
      args[args.length - 1] = (err: Error | null, res: unknown) => callback(err, err ? res : rewriteFields(res));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    if (out && typeof (out as Promise<unknown>).then === "function") {
      return (out as Promise<unknown>).then(rewriteFields);
    }
    return out;
  }
}
