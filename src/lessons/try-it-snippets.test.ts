// The try-it extractor on small sources that show each rule, then on the real lessons: every
// lesson ends with a "Try it yourself" section under <LabAddress />, and every block in it is of a
// kind the runners know (src/server/try-it-snippets.test.ts, tests/e2e/try-it.test.ts).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  classifyBlocks,
  labExportLine,
  nodeEvalScripts,
  tryItBlocks,
  tryItSections,
  type ClassifiedBlock,
} from "./try-it-snippets.ts";

const root = join(import.meta.dirname, "..", "..");
const fence = "```";

const sample = [
  "---",
  "title: ## not a heading",
  "---",
  "## Try it: the echo console",
  "",
  "A widget, no code.",
  "",
  "## Try it yourself",
  "",
  "<LabAddress />",
  "",
  "Run this:",
  "",
  `${fence}bash`,
  'curl "http://$LAB/lab/info"',
  "## a comment line in the block, not a heading",
  fence,
  "",
  "Save it as `hello.mjs` and run",
  "`node hello.mjs`:",
  "",
  `${fence}js`,
  'console.log("hello");',
  fence,
  "",
  "It prints:",
  "",
  fence,
  "hello",
  fence,
  "",
  "That is all.",
  "",
  "## Summary",
  "",
  `${fence}bash`,
  "echo not a try-it block",
  fence,
].join("\n");

describe("tryItSections", () => {
  it("finds the Try-it sections and their blocks, with the text around each, and nothing outside them", () => {
    const sections = tryItSections("03-sample", sample);
    expect(sections.map((s) => [s.heading, s.hasLabAddress, s.blocks.length])).toEqual([
      ["Try it: the echo console", false, 0],
      ["Try it yourself", true, 3],
    ]);
    const [shell, script, output] = sections[1]!.blocks;
    expect(shell).toMatchObject({
      id: "03-sample#0",
      lang: "bash",
      line: 14,
      code: 'curl "http://$LAB/lab/info"\n## a comment line in the block, not a heading',
    });
    expect(shell!.prose).toBe("<LabAddress />\n\nRun this:");
    expect(shell!.after).toBe(script!.prose);
    expect(script).toMatchObject({
      id: "03-sample#1",
      lang: "js",
      code: 'console.log("hello");',
      prose: "Save it as `hello.mjs` and run\n`node hello.mjs`:",
    });
    expect(output).toMatchObject({
      id: "03-sample#2",
      lang: "",
      code: "hello",
      prose: "It prints:",
      after: "That is all.",
    });
    expect(tryItBlocks("03-sample", sample)).toHaveLength(3);
  });

  it("refuses a block that never closes", () => {
    expect(() => tryItSections("x", "## Try it yourself\n\n```bash\necho")).toThrow(/never closed/);
  });
});

describe("classifyBlocks", () => {
  const classify = (source: string): ClassifiedBlock[] =>
    classifyBlocks(tryItBlocks("00-x", `## Try it yourself\n\n${source}`));

  it("names shell commands, saved Node scripts with their run command, console snippets, output and typed lines", () => {
    const blocks = classify(
      [
        `${fence}sh`,
        "npx wscat --connect ws://x",
        fence,
        "Type:",
        `${fence}json`,
        '{"type":"join"}',
        fence,
        `${fence}js`,
        "// save as bot.mjs, then run: CODE=K7QXMR node bot.mjs",
        "go();",
        fence,
        "It prints:",
        fence,
        "ok",
        fence,
        "Open the developer tools, and run this in the console:",
        `${fence}js`,
        "location.host",
        fence,
      ].join("\n"),
    );
    expect(blocks.map((b) => b.kind)).toEqual(["shell", "typed-input", "node-script", "output", "console"]);
    expect(blocks[1]).toMatchObject({ of: "00-x#0" });
    expect(blocks[2]).toMatchObject({ file: "bot.mjs", run: "CODE=K7QXMR node bot.mjs" });
    expect(blocks[3]).toMatchObject({ of: "00-x#2" });
    expect(classify(`Save this script as \`twin.mjs\`.\n\n${fence}js\nx();\n${fence}`)[0]).toMatchObject({
      kind: "node-script",
      file: "twin.mjs",
      run: null,
    });
  });

  it("gives kind null, with a reason, to a block no runner can run", () => {
    const [python, bareJs, orphanOutput, orphanTyped] = [
      classify(`${fence}python\nprint(1)\n${fence}`)[0]!,
      classify(`${fence}js\nx();\n${fence}`)[0]!,
      classify(`${fence}\nout\n${fence}`)[0]!,
      classify(`${fence}json\n{}\n${fence}`)[0]!,
    ];
    expect(python).toMatchObject({ kind: null, problem: expect.stringMatching(/language "python"/) });
    expect(bareJs).toMatchObject({ kind: null, problem: expect.stringMatching(/save it as|console/) });
    expect(orphanOutput).toMatchObject({ kind: null });
    expect(orphanTyped).toMatchObject({ kind: null });
  });
});

describe("nodeEvalScripts and labExportLine", () => {
  it("finds the inline scripts of node -e", () => {
    expect(nodeEvalScripts(`curl x | node -e '\nconsole.log(1);'\nnode -e 'a()'`)).toEqual([
      "\nconsole.log(1);",
      "a()",
    ]);
  });

  it("fills LabAddress's export template with the page's host, and notices when the template changes", async () => {
    const source = await readFile(join(root, "src", "widgets", "lab-address", "LabAddress.astro"), "utf8");
    expect(labExportLine(source, "192.168.1.20:4321")).toBe("export LAB=192.168.1.20:4321");
    expect(() => labExportLine("exportOut.textContent = `LAB=${host}`", "h:1")).toThrow(/export LAB/);
    expect(() => labExportLine("exportOut.textContent = `export LAB=${window.location.host}`", "h:1")).toThrow(
      /cannot fill in/,
    );
  });
});

describe("the lessons' Try-it sections", () => {
  const lessons = async (): Promise<Array<{ lesson: string; source: string }>> => {
    const dir = join(root, "content", "lessons");
    const files = (await readdir(dir)).filter((f) => f.endsWith(".mdx")).sort();
    return Promise.all(
      files.map(async (f) => ({ lesson: f.replace(/\.mdx$/, ""), source: await readFile(join(dir, f), "utf8") })),
    );
  };

  it("every lesson ends with a Try it yourself section that shows the lab's address before its first block", async () => {
    for (const { lesson, source } of await lessons()) {
      const yours = tryItSections(lesson, source).filter((s) => s.heading === "Try it yourself");
      expect(yours, lesson).toHaveLength(1);
      expect(yours[0]!.hasLabAddress, lesson).toBe(true);
      expect(yours[0]!.blocks.length, lesson).toBeGreaterThan(0);
      expect(yours[0]!.blocks[0]!.prose, lesson).toMatch(/<LabAddress \/>/);
    }
  });

  it("every block is of a kind a runner knows, and every saved script has a name of its own and a way to run", async () => {
    for (const { lesson, source } of await lessons()) {
      const blocks = classifyBlocks(tryItBlocks(lesson, source));
      for (const block of blocks) expect(block.kind === null ? `${block.id}: ${block.problem}` : null).toBeNull();
      const scripts = blocks.filter((b) => b.kind === "node-script");
      expect(new Set(scripts.map((s) => s.file)).size, lesson).toBe(scripts.length);
      for (const script of scripts) {
        // Run by the lesson's own command, or by a later shell block of the lesson that names it.
        const ranByShell = blocks.some((b) => b.kind === "shell" && b.code.includes(`node ${script.file}`));
        expect(script.run !== null || ranByShell, `${script.id} (${script.file}) is never run`).toBe(true);
        if (script.run) expect(script.run).toMatch(new RegExp(`node ${script.file.replace(".", "\\.")}$`));
      }
    }
  });

  it("no node -e script has a top-level await or an import: each compiles as a plain script body", async () => {
    let found = 0;
    for (const { lesson, source } of await lessons()) {
      for (const block of tryItBlocks(lesson, source)) {
        for (const script of nodeEvalScripts(block.code)) {
          found++;
          expect(() => new Function(script), block.id).not.toThrow();
        }
      }
    }
    expect(found).toBeGreaterThan(0);
    // The check itself can fail: a top-level await does not compile as a script body.
    expect(() => new Function(nodeEvalScripts("node -e 'await fetch(x)'")[0]!)).toThrow(SyntaxError);
  });
});
