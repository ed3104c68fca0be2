import { Writable } from "node:stream";
import { expect, it } from "vitest";
import { createLogger } from "@/lib/logger";

it("redacts secret fields at any of the first three levels", () => {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const log = createLogger({ level: "info", destination });
  log.info(
    { token: "tok-AAA", discord: { accessToken: "tok-BBB", nested: { clientSecret: "tok-CCC" } }, guildId: "1" },
    "x",
  );
  const out = lines.join("");
  expect(out).not.toMatch(/tok-(AAA|BBB|CCC)/);
  expect(out).toContain("[redacted]");
  expect(out).toContain('"guildId":"1"');
});
