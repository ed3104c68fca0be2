// `npm run bench`: runs every bench/*.bench.ts suite (or those named on the command line) and prints each
// figure beside its baseline, measured in the same run, with the ratio and the target.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchResult, BenchSuite } from "./lib";

const only = process.argv.slice(2);
const dir = path.dirname(new URL(import.meta.url).pathname);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const results: BenchResult[] = [];
for (const file of files) {
  const suite = (await import(pathToFileURL(path.join(dir, file)).href)).default as BenchSuite;
  console.log(`\n## ${suite.name} (${file})`);
  const suiteResults = await suite.run();
  for (const r of suiteResults) {
    results.push(r);
    const ratio = r.baseline !== undefined ? ` | ratio ${formatRatio(r)}` : "";
    const baseline =
      r.baseline !== undefined ? ` | baseline ${fmt(r.baseline)} ${r.unit} (${r.baselineLabel ?? "baseline"})` : "";
    const target = r.target ? ` | target ${r.target} ${r.met === undefined ? "" : r.met ? "MET" : "MISSED"}` : "";
    console.log(`- ${r.name}: ${fmt(r.value)} ${r.unit}${baseline}${ratio}${target}`);
  }
}

function fmt(n: number): string {
  if (n >= 1000) return Math.round(n).toLocaleString("en-US");
  if (n >= 10) return n.toFixed(1);
  return n.toPrecision(3);
}

function formatRatio(r: BenchResult): string {
  if (r.baseline === undefined || r.baseline === 0 || r.value === 0) return "n/a";
  const ratio = r.higherIsBetter ? r.value / r.baseline : r.baseline / r.value;
  return `${fmt(ratio)}x ${ratio >= 1 ? "better" : "worse"}`;
}

const missed = results.filter((r) => r.met === false);
console.log(
  `\n${results.length} figures, ${missed.length} targets missed${missed.length ? `: ${missed.map((m) => m.name).join(", ")}` : ""}`,
);
process.exit(0);
