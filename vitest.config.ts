// Three projects, one runner: pure unit tests, server tests over real sockets, and browser
// tests that drive Debian's Chromium against the production build (tests/e2e/global-setup.ts
// builds the site once and starts the real production server on port 0).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The JSON report lets .ci/run print a plain "N passed, N failed" line and refuse skips.
    reporters: ["default", ["json", { outputFile: ".tmp/vitest-report.json" }]],
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "tests/architecture/**/*.test.ts"],
          exclude: ["src/server/**"],
          environment: "node",
        },
      },
      {
        test: {
          name: "server",
          include: ["src/server/**/*.test.ts"],
          environment: "node",
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/e2e/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 240_000,
          // Several widgets write their running text at most once a second (it costs layout);
          // the default 1 s poll could give up just before such a write on a busy machine.
          expect: { poll: { timeout: 5_000 } },
        },
      },
    ],
  },
});
