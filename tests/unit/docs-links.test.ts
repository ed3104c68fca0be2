// Issue 25 item 6: the docs are a reference only while they are true. Every relative link (and its #anchor) in the
// README and docs/ leads somewhere, and every `npm run <script>` they name exists in package.json.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const docs = ["README.md", ...fs.readdirSync(path.join(root, "docs")).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith(".md"),
);
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    out.add(
      match[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-"),
    );
  }
  return out;
}

describe.each(docs)("%s", (doc) => {
  const text = fs.readFileSync(path.join(root, doc), "utf8");

  it("links only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
      const [file, anchor] = target.split("#") as [string, string | undefined];
      const resolved = file ? path.resolve(path.dirname(path.join(root, doc)), file) : path.join(root, doc);
      if (!fs.existsSync(resolved)) {
        broken.push(target);
        continue;
      }
      if (anchor && resolved.endsWith(".md") && !anchors(fs.readFileSync(resolved, "utf8")).has(anchor)) {
        broken.push(target);
      }
    }
    expect(broken).toEqual([]);
  });

  it("names only npm scripts that exist", () => {
    const named = [...text.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]!);
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
  });
});
