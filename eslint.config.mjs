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
