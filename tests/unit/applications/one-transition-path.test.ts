// One path per rule (issue 25): only the state machine writes an application's status, and job keys and the
// add_job call are written once (src/lib/jobs/add-job.ts). A copy elsewhere drifts: mark-assigned.ts once wrote the
// assigned transition by itself and left out its webhook event and review-message edit (02e33e7).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const STATE_MACHINE = "src/lib/applications/state-machine/state-machine.ts";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** The text between the bracket at `open` and its match (strings and comments are not special: good enough here). */
function balanced(text: string, open: number): string {
  const pairs: Record<string, string> = { "(": ")", "{": "}", "[": "]" };
  const stack: string[] = [];
  for (let i = open; i < text.length; i += 1) {
    const c = text[i]!;
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return text.slice(open, i + 1);
    }
  }
  return text.slice(open);
}

/** Where a file writes Application.status: raw `UPDATE "Application" ... SET status =`, or Prisma's data.status. */
function statusWrites(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/UPDATE\s+"Application"(\s+(AS\s+)?\w+)?\s+SET\b/g)) {
    const rest = source.slice(match.index + match[0].length);
    const end = rest.search(/\b(WHERE|FROM|RETURNING)\b|`/);
    const setList = end === -1 ? rest : rest.slice(0, end);
    if (/(^|[\s,(])"?status"?\s*=/.test(setList)) found.push(`${match[0]} ...${setList.trim().slice(0, 60)}`);
  }
  for (const match of source.matchAll(/\.application\.(update|updateMany|upsert)\s*\(/g)) {
    const args = balanced(source, match.index + match[0].length - 1);
    for (const data of args.matchAll(/\b(data|update|create)\s*:\s*\{/g)) {
      const object = balanced(args, data.index + data[0].length - 1);
      if (/[{,\s]status\s*:/.test(object))
        found.push(`.application.${match[1]}(... ${data[1]}: ${object.slice(0, 60)}`);
    }
  }
  return found;
}

describe("only the state machine writes Application.status", () => {
  it("finds a raw UPDATE and a Prisma update that set the status (so the scan below can fail)", () => {
    expect(
      statusWrites('await db.$executeRaw`UPDATE "Application" a SET "updatedAt" = now(), status = $1 WHERE x`'),
    ).toHaveLength(1);
    expect(
      statusWrites('sql`UPDATE "Application" SET "roleAssignmentStatus" = \'SUCCESS\' WHERE status = $1`'),
    ).toEqual([]);
    expect(
      statusWrites("tx.application.updateMany({ where: { status: from }, data: { note, status: to } })"),
    ).toHaveLength(1);
    expect(statusWrites("tx.application.updateMany({ where: { status: from }, data: { roleErrorCode: c } })")).toEqual(
      [],
    );
  });

  it("no file under src but state-machine.ts writes a transition", () => {
    const writers = sourceFiles("src").flatMap((file) =>
      statusWrites(readFileSync(file, "utf8")).map((write) => `${file.split(path.sep).join("/")}: ${write}`),
    );
    expect(writers.filter((w) => !w.startsWith(`${STATE_MACHINE}:`))).toEqual([]);
    // The scan sees the one writer, so an empty list above is not a scan that sees nothing.
    expect(writers.some((w) => w.startsWith(`${STATE_MACHINE}:`))).toBe(true);
  });
});

describe("job keys and the add_job call are written once", () => {
  const files = sourceFiles("src").map((file) => ({
    file: file.split(path.sep).join("/"),
    text: readFileSync(file, "utf8"),
  }));

  it("graphile_worker.add_job is called only by src/lib/jobs/add-job.ts", () => {
    expect(files.filter((f) => /graphile_worker\.add_job\s*\(/.test(f.text)).map((f) => f.file)).toEqual([
      "src/lib/jobs/add-job.ts",
    ]);
  });

  it("no job key is spelt out: every addJob key and every SQL look-up of a key comes from a jobKey helper", () => {
    const spelt = files.flatMap(({ file, text }) => [
      ...[...text.matchAll(/jobKey:\s*[`'"]/g)].map(() => `${file}: a literal jobKey`),
      ...[...text.matchAll(/'[a-z-]+:'\s*\|\|/g)].map((m) => `${file}: ${m[0]}`),
      ...[...text.matchAll(/\bj\.key\s*(=|IN)\s*[^$\s(]/g)].map((m) => `${file}: ${m[0]}`),
    ]);
    expect(spelt).toEqual([]);
  });
});
