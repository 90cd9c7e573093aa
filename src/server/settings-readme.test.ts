import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  findTable,
  labSettingsHeader,
  readmePath,
  renderLabSettingsTable,
  renderStartOptionsTable,
  startOptionsHeader,
  withRenderedTables,
} from "./settings-readme.ts";
import { labSettingTable, startOptionTable } from "./settings.ts";

const regenerate =
  "the README's settings tables are rendered from src/server/settings.ts: run `npm run settings:readme` (node src/server/settings-readme.ts --write) to rewrite them, or change the row in settings.ts";

async function readmeTable(header: readonly string[]): Promise<string> {
  const found = findTable(await readFile(readmePath, "utf8"), header);
  expect(found, `README.md has no table headed "| ${header.join(" | ")} |"; ${regenerate}`).not.toBeNull();
  return found!.text;
}

describe("the README's settings tables", () => {
  it("lists the lab's limits exactly as labSettingTable has them", async () => {
    expect(await readmeTable(labSettingsHeader), regenerate).toBe(renderLabSettingsTable());
  });

  it("lists the options for npm start exactly as startOptionTable has them", async () => {
    expect(await readmeTable(startOptionsHeader), regenerate).toBe(renderStartOptionsTable());
  });

  it("names every flag and environment variable the parser reads, and none it does not", async () => {
    const options = await readmeTable(startOptionsHeader);
    const limits = await readmeTable(labSettingsHeader);
    const flags = Object.values(startOptionTable).map((row) => row.flag);
    const startEnv = Object.values(startOptionTable).flatMap((row) => ("env" in row ? [row.env] : []));
    for (const flag of flags)
      expect(options, `the npm start table shows ${flag}`).toMatch(new RegExp(`${flag}(?![\\w-])`));
    for (const name of startEnv) expect(options, `the npm start table shows ${name}=`).toContain(`${name}=`);
    // Every flag either table mentions (the lone "--" passes npm's own arguments on) is one the parser knows.
    for (const [, flag] of `${options}\n${limits}`.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g))
      expect(flags, `README names ${flag}`).toContain(flag);
    for (const [, name] of options.matchAll(/\b([A-Z][A-Z_]*)=/g))
      expect(startEnv, `README sets ${name}`).toContain(name);
  });

  it("names no LAB_ variable anywhere that is not a lab setting", async () => {
    const known = Object.values(labSettingTable).map((row) => row.env);
    const named = new Set([...(await readFile(readmePath, "utf8")).matchAll(/\bLAB_[A-Z_]+\b/g)].map((m) => m[0]));
    for (const name of named) expect(known, `README names ${name}`).toContain(name);
    expect([...named].sort()).toEqual([...known].sort());
  });

  it("rewrites only the two tables, leaving the text around them as it was", () => {
    const readme = [
      "# Title",
      "",
      "Before.",
      "",
      "| You want | Run |",
      "| --- | --- |",
      "| stale | row |",
      "",
      "Between:",
      "",
      "| Variable | Default | What it limits |",
      "| --- | --- | --- |",
      "| `LAB_OLD` | 1 | gone |",
      "",
      "After.",
    ].join("\n");
    const rewritten = withRenderedTables(readme);
    expect(rewritten).toBe(
      [
        "# Title",
        "",
        "Before.",
        "",
        renderStartOptionsTable(),
        "",
        "Between:",
        "",
        renderLabSettingsTable(),
        "",
        "After.",
      ].join("\n"),
    );
    expect(withRenderedTables(rewritten)).toBe(rewritten);
    expect(() => withRenderedTables("# No tables here\n")).toThrow(/no table headed/);
  });
});
