// Adds lock entries for platform packages the reachable registry does not serve, so `npm ci` accepts the lockfile;
// on this platform npm skips them by os/cpu without fetching.
const fs = require("fs");
const file = process.argv[2];
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const add = {
  "@next/swc-darwin-arm64": { cpu: ["arm64"], os: ["darwin"] },
  "@next/swc-darwin-x64": { cpu: ["x64"], os: ["darwin"] },
  "@next/swc-win32-arm64-msvc": { cpu: ["arm64"], os: ["win32"] },
  "@next/swc-win32-x64-msvc": { cpu: ["x64"], os: ["win32"] },
};
const version = lock.packages["node_modules/next"].optionalDependencies["@next/swc-linux-x64-gnu"];
for (const [name, p] of Object.entries(add)) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  lock.packages[key] = { version, cpu: p.cpu, license: "MIT", optional: true, os: p.os, engines: { node: ">= 10" } };
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
