// ESLint with typescript-eslint's recommended rules over every TypeScript and JavaScript file
// (`npm run lint`, part of `npm test`). .astro files are checked by `astro check` instead, and
// their scripts only load a widget's module, which is linted here.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["dist/", "dist-server/", ".astro/", ".tmp/", "node_modules/", "public/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: "latest", sourceType: "module" },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Unused names are dead code; a leading underscore marks a parameter kept for its position.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // Type-only imports are required for plain node's type stripping (src/server).
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    // Node-only files: the server, the build's integrations, benchmarks, tests' setup.
    files: ["src/server/**", "bench/**", "tests/**", "*.mjs", "*.js", "*.ts"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        URL: "readonly",
      },
    },
  },
);
