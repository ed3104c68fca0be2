// Issue 23: the code that posts or DMs takes only what bot-connection/guild-resources.ts resolved. Checked with the
// TypeScript compiler itself, so `npm test` fails if the sender ever accepts a bare id again: a snippet that hands
// the sender plain ids must not compile, and the same call with resolved values must.
import path from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";

const root = path.resolve(__dirname, "../../..");
const snippetPath = path.join(root, "tests/unit/bot-connection/__sender-snippet.ts");

const SNIPPET = `import type { DmRecipient, GuildChannel } from "@/lib/bot-connection/guild-resource-types";
import type { MessageSender } from "@/lib/notifications/sender";
declare const sender: MessageSender;
declare const channel: GuildChannel;
declare const recipient: DmRecipient;
void sender.postToChannel({ channel, content: "", nonce: "" });
void sender.sendDirect({ recipient, content: "", nonce: "" });
void sender.postToChannel({ channel: { guildId: "1", id: "2", name: "x" }, content: "", nonce: "" }); // bare: line 8
void sender.sendDirect({ recipient: { guildId: "1", userId: "2" }, content: "", nonce: "" }); // bare: line 9
void sender.postToChannel({ channel: "2", content: "", nonce: "" }); // bare: line 10
`;

function compile(): { line: number; text: string }[] {
  const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options = { ...parsed.options, incremental: false, noEmit: true, skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === snippetPath ? ts.createSourceFile(name, SNIPPET, language) : read(name, language, ...rest);
  const program = ts.createProgram({ rootNames: [snippetPath], options, host });
  const file = program.getSourceFile(snippetPath)!;
  return program.getSemanticDiagnostics(file).map((d) => ({
    line: file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1,
    text: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  }));
}

it("the sender refuses bare channel and user ids at compile time, and takes resolved ones", () => {
  const errors = compile();
  expect(errors.map((e) => e.line)).toEqual([8, 9, 10]);
  expect(errors[0]!.text).toMatch(/not assignable to type 'GuildChannel'/);
  expect(errors[1]!.text).toMatch(/not assignable to type 'DmRecipient'/);
  expect(errors[2]!.text).toMatch(/not assignable to type 'GuildChannel'/);
}, 120_000);
