// Keyset cursors over (createdAt, id), newest first: an opaque base64url of "<ISO date>|<uuid>". Decoding is strict
// (a real UUID, a date we can store) so a forged cursor is a 400, never a failed cast in PostgreSQL.
import { AppError } from "@/lib/errors/app-error";
import { isStorableDate, isUuid } from "@/lib/http/input";

export type KeysetPosition = { createdAt: Date; id: string };

export function encodeKeysetCursor(row: KeysetPosition): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");
}

/** The position a cursor names; a malformed cursor is a 400 `bad_request`. */
export function decodeKeysetCursor(cursor: string): KeysetPosition {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const [iso, id] = parts;
  const createdAt = new Date(iso ?? "");
  if (parts.length !== 2 || !isUuid(id) || !isStorableDate(createdAt)) {
    throw new AppError("bad_request", "The cursor is not valid; start again from the first page.");
  }
  return { createdAt, id };
}
