// The README's two settings tables, rendered from the tables in settings.ts so the README says
// what the server reads: the lab's limits (labSettingTable) and the options for `npm start`
// (startOptionTable). settings-readme.test.ts fails when README.md's copy differs; to rewrite
// the README's tables from the settings, run
//   npm run settings:readme        (that is: node src/server/settings-readme.ts --write)
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { labSettingTable, startOptionTable, type LabSettingRow } from "./settings.ts";

/** A Markdown table's lines; a cell holding `|` or a line break would break the table, so it is refused. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const cell of rows.flat()) {
    if (/[|\n]/.test(cell)) throw new Error(`A settings table cell cannot hold "|" or a line break: ${cell}`);
  }
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The Default column: the computed default's description where there is one, else the value. */
export function defaultText(row: LabSettingRow): string {
  if (row.defaultText !== undefined) return row.defaultText;
  switch (row.kind) {
    case "whole number":
      return String(row.default);
    case "origins":
    case "hosts":
      return row.default.length === 0 ? "(none)" : row.default.join(", ");
    case "file":
      return "(none)";
  }
}

export const labSettingsHeader = ["Variable", "Default", "What it limits"] as const;
export const startOptionsHeader = ["You want", "Run"] as const;

/** The README's table of the lab's limits, one line per setting. */
export function renderLabSettingsTable(): string {
  const rows = Object.values<LabSettingRow>(labSettingTable).map((row) => [
    `\`${row.env}\``,
    defaultText(row),
    row.description,
  ]);
  return markdownTable(labSettingsHeader, rows);
}

/** The README's "Options for `npm start`" table: each option's lines, in the table's order. */
export function renderStartOptionsTable(): string {
  const rows = Object.values(startOptionTable).flatMap((row) => row.readme.map((use) => [use.want, use.run]));
  return markdownTable(startOptionsHeader, rows);
}

/** Where a table with this header sits in `markdown`: its header line through its last `|` line. */
export function findTable(
  markdown: string,
  header: readonly string[],
): { start: number; end: number; text: string } | null {
  const lines = markdown.split("\n");
  const first = lines.indexOf(`| ${header.join(" | ")} |`);
  if (first === -1) return null;
  let last = first;
  while (lines[last + 1]?.startsWith("|")) last++;
  const start = lines.slice(0, first).join("\n").length + (first > 0 ? 1 : 0);
  const text = lines.slice(first, last + 1).join("\n");
  return { start, end: start + text.length, text };
}

/** `markdown` with both settings tables replaced by the rendered ones. */
export function withRenderedTables(markdown: string): string {
  let result = markdown;
  for (const [header, rendered] of [
    [labSettingsHeader, renderLabSettingsTable()],
    [startOptionsHeader, renderStartOptionsTable()],
  ] as const) {
    const found = findTable(result, header);
    if (!found) throw new Error(`README.md has no table headed "| ${header.join(" | ")} |" to replace`);
    result = result.slice(0, found.start) + rendered + result.slice(found.end);
  }
  return result;
}

export const readmePath = fileURLToPath(new URL("../../README.md", import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const before = readFileSync(readmePath, "utf8");
  const after = withRenderedTables(before);
  if (process.argv.includes("--write")) {
    if (after !== before) writeFileSync(readmePath, after);
    console.log(
      after === before
        ? "README.md's settings tables are up to date."
        : "README.md's settings tables rewritten from src/server/settings.ts.",
    );
  } else {
    console.log(`${renderStartOptionsTable()}\n\n${renderLabSettingsTable()}`);
    if (after !== before)
      console.log("\nREADME.md differs; run with --write (npm run settings:readme) to rewrite its tables.");
  }
}
