// src/protocol must run unchanged in a browser, in Node and in Vitest (DESIGN.md, "Layers"):
// Web APIs only, no Node modules or globals, no DOM, and syntax that plain `node` can load by
// stripping types (tests/architecture/web-only.ts). This test reads every module of the folder
// and fails on any of those.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { webOnlyViolations } from "../../tests/architecture/web-only.ts";

const folder = dirname(fileURLToPath(import.meta.url));
const modules = readdirSync(folder)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"))
  .sort();

const violations = (source: string): string[] => webOnlyViolations(source, { onlyWithin: "src/protocol" });

describe("src/protocol is portable", () => {
  it("has modules to check", () => {
    expect(modules).toContain("frame.ts");
    expect(modules).toContain("handshake.ts");
    expect(modules).toContain("http1.ts");
  });

  it("catches what it is meant to catch", () => {
    expect(violations('import { readFile } from "node:fs";')).toHaveLength(1);
    expect(violations('import x from "ws";')).toHaveLength(1);
    expect(violations('import { a } from "./a";')).toHaveLength(1);
    expect(violations('const b = Buffer.from("x"); document.title = "y";')).toHaveLength(2);
    expect(violations('const fs = require("fs");').join()).toMatch(/uses require/);
    expect(violations("enum E { A }")).toHaveLength(1);
    expect(
      violations('// Buffer and document in a comment\nconst s = "window"; const o = { x: 1 }; o.process;'),
    ).toEqual([]);
  });

  for (const file of modules) {
    it(`${file} uses Web APIs only`, () => {
      expect(violations(readFileSync(join(folder, file), "utf8"))).toEqual([]);
    });
  }

  it("every module loads in plain node by type stripping", () => {
    const urls = modules.map((f) => pathToFileURL(join(folder, f)).href);
    const script = `for (const u of ${JSON.stringify(urls)}) await import(u);`;
    const run = spawnSync(
      process.execPath,
      ["--no-warnings", "--experimental-strip-types", "--input-type=module", "-e", script],
      { encoding: "utf8", timeout: 20_000 },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
