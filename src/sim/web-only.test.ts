// src/sim and the simulation machines must run unchanged in a browser (Vite), in Node and in
// Vitest (ARCHITECTURE.md, "Layers"): Web APIs only, imports of xstate and relative .ts files only,
// and syntax that plain `node` can load by stripping types. The runners (src/scenarios/) import
// the machines, so loading one in plain node checks them too.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { webOnlyViolations } from "../../tests/architecture/web-only.ts";

const simFolder = dirname(fileURLToPath(import.meta.url));
const machineFolder = join(simFolder, "..", "machines");
const scenarioFolder = join(simFolder, "..", "scenarios");
const simulationMachines = [
  "tcp-connection.ts",
  "http10-exchange.ts",
  "http11-exchange.ts",
  "short-polling.ts",
  "long-polling.ts",
  "server-sent-events.ts",
  "websocket-session.ts",
  "http-request-response.ts",
  "polling-chat.ts",
  "wire-stage-player.ts",
];
const files = [
  ...readdirSync(simFolder)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => join(simFolder, f)),
  ...readdirSync(scenarioFolder)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => join(scenarioFolder, f)),
  ...simulationMachines.map((f) => join(machineFolder, f)),
];

const violations = (source: string): string[] => webOnlyViolations(source, { packages: ["xstate"] });

describe("simulations are portable", () => {
  it.each(files.map((f) => [f.slice(f.lastIndexOf("src/")), f]))(
    "%s uses Web APIs and allowed imports only",
    (_, file) => {
      expect(violations(readFileSync(file, "utf8"))).toEqual([]);
    },
  );

  it("the runner loads and runs in plain node by type stripping", () => {
    const url = pathToFileURL(join(scenarioFolder, "run-scenario.ts")).href;
    const script = `const { runScenario, defaultLink } = await import(${JSON.stringify(url)}); console.log(runScenario({ kind: "websocket", link: defaultLink }).messages.length);`;
    const run = spawnSync(
      process.execPath,
      ["--no-warnings", "--experimental-strip-types", "--input-type=module", "-e", script],
      { encoding: "utf8", timeout: 20_000 },
    );
    expect(run.stderr).toBe("");
    expect(Number(run.stdout)).toBeGreaterThan(10);
  });
});
