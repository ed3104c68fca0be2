// ESLint flat config: Next's rules (core web vitals, React, hooks, a11y, import) and typescript-eslint's
// recommended rules, for TypeScript 5.9 as pinned in package.json. Formatting is Prettier's job (.prettierrc.json).
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// Error classes a second copy of a module breaks `instanceof` on (`next dev` and the production build load some
// modules twice; @discordjs/rest's REST client is shared per process): recognised only through the guards of
// src/lib/discord/errors.ts and isAppError (issue 23). Exported for tests/unit/lint-discord-instanceof.test.ts.
export const BRANDED_ERROR_CLASSES = [
  "DiscordApiError",
  "DiscordAPIError",
  "DiscordTimeoutError",
  "DiscordNetworkError",
  "DiscordInvalidRequestBudgetError",
  "HTTPError",
  "RateLimitError",
  "TokenResolutionError",
  "GuildNotConnected",
  "OrganizationSuspended",
  "BotTokenInvalid",
  "TokenResolutionUnavailable",
  "BotCredentialsUnavailable",
  "AppError",
  "RateLimitedError",
  "DatabaseUnavailableError",
];
const brandedNames = `/^(${BRANDED_ERROR_CLASSES.join("|")})$/`;
const BRANDED_INSTANCEOF_MESSAGE =
  "Use the guards of src/lib/discord/errors.ts (isDiscordApiError, isDiscordStatus, tokenResolutionCode, ...) or isAppError: instanceof fails when a module is loaded twice.";

// The layers of src/lib, lowest first, declared once (issue 25): a folder (or top-level module) may import only
// folders of lower layers, never its own layer's other folders or anything above. src/app, src/components and
// src/worker (the job runners' composition root) sit above every layer. Exported for tests/unit/lint-layers.test.ts,
// which also checks that every folder of src/lib is declared here.
export const LIB_LAYERS = [
  ["env", "errors", "metrics", "statement"],
  ["db", "logger", "rate-limit"],
  ["crypto", "http", "jobs", "maintenance"],
  ["audit", "discord", "health"],
  ["security", "webhooks"],
  ["api-tokens", "bot-connection", "organizations"],
  ["forms", "notifications", "review-channel"],
  ["applicants", "demo", "questions"],
  ["applications"],
  ["dashboard", "discord-review", "openapi"],
];

/** One block per src/lib folder: imports of its layer's siblings and of every higher layer are errors. */
function layerBlocks() {
  return LIB_LAYERS.flatMap((layer, index) =>
    layer.map((name) => {
      const above = LIB_LAYERS.slice(index)
        .flat()
        .filter((other) => other !== name);
      return {
        files: [`src/lib/${name}/**/*.{ts,tsx}`, `src/lib/${name}.ts`],
        rules: {
          "no-restricted-imports": [
            "error",
            {
              patterns: [
                {
                  group: above.flatMap((other) => [`@/lib/${other}`, `@/lib/${other}/**`]),
                  message: `src/lib/${name} is in layer ${index} of LIB_LAYERS (eslint.config.mjs): it may import only lower layers.`,
                },
                {
                  group: ["@/app/**", "@/components/**", "@/worker/**", "../**"],
                  message:
                    "src/lib depends downwards only: no pages, components, composition root or relative paths out of its folder.",
                },
              ],
            },
          ],
        },
      };
    }),
  );
}

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  globalIgnores([
    ".next/**",
    ".next-e2e/**",
    ".data/**",
    "artifacts/**",
    "coverage/**",
    "src/generated/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      // Errors, not Next's warnings: `npm run lint` allows no warnings. A leading underscore marks a deliberately
      // unused binding (a destructured field left out, a required parameter position).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      "@typescript-eslint/no-unused-expressions": "error",
    },
  },
  {
    files: ["src/**/*.ts", "src/**/*.tsx"],
    ignores: ["src/lib/discord/errors.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: `BinaryExpression[operator='instanceof'][right.name=${brandedNames}]`,
          message: BRANDED_INSTANCEOF_MESSAGE,
        },
        {
          selector: `BinaryExpression[operator='instanceof'][right.property.name=${brandedNames}]`,
          message: BRANDED_INSTANCEOF_MESSAGE,
        },
      ],
    },
  },
  ...layerBlocks(),
  {
    // Reason: the test helpers named use* (useDiscordFake, useVaultKeys) register vitest hooks, not React hooks;
    // component tests (.tsx) keep the rule.
    files: ["tests/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // Reason: false positives. useAction() (src/components/ui/use-action.ts) returns its state together with a
    // callback ref for the form; once `ref={action.bindForm}` is seen, the compiler's lint treats the whole object
    // as a ref and flags every read of its state during render.
    files: ["src/**/*.tsx"],
    rules: { "react-hooks/refs": "off" },
  },
  {
    // Reason: CommonJS on purpose (runs before any install, without "type": "module" interop).
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
]);
