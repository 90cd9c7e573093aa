// The lessons' Try-it sections in Chromium, against the production server: on every lesson page
// the `export LAB=…` line <LabAddress /> shows sets LAB to the page's host when bash runs it, and
// is the line the server tests paste before every shell snippet (src/server/try-it-snippets.test.ts);
// the code blocks the page shows (what their Copy buttons copy) are the blocks the extractor reads;
// and every snippet meant for the DevTools console runs as written in its lesson's page, evaluated
// as the console evaluates what a reader pastes, and logs what the lesson says it logs.
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { lessonHref } from "../../src/lessons/order.ts";
import { classifyBlocks, labExportLine, tryItBlocks, type ClassifiedBlock } from "../../src/lessons/try-it-snippets.ts";
import { usePageSession } from "./page-session.ts";

const baseUrl = inject("baseUrl");
const session = usePageSession(baseUrl);
const root = join(import.meta.dirname, "..", "..");
const lessonsDir = join(root, "content", "lessons");
const lessons = (await readdir(lessonsDir))
  .filter((f) => f.endsWith(".mdx"))
  .sort()
  .map((f) => f.replace(/\.mdx$/, ""));
const blocksOf = new Map<string, ClassifiedBlock[]>();
for (const lesson of lessons)
  blocksOf.set(lesson, classifyBlocks(tryItBlocks(lesson, await readFile(join(lessonsDir, `${lesson}.mdx`), "utf8"))));
const labAddressSource = await readFile(join(root, "src", "widgets", "lab-address", "LabAddress.astro"), "utf8");
const consoleBlocks = [...blocksOf.values()].flat().filter((b) => b.kind === "console");

/** The lesson's words `pattern` matches in `text`, or a failure saying the lesson no longer says them. */
function said(text: string, pattern: RegExp): RegExpExecArray {
  const match = pattern.exec(text);
  if (!match) throw new Error(`the lesson no longer says what the check reads (${pattern}) in:\n${text}`);
  return match;
}

/** The code blocks of the page's Try-it sections, as their Copy buttons copy them (LabAddress's own line aside). */
function renderedTryItBlocks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    for (const heading of document.querySelectorAll("h2")) {
      if (!/^Try it\b/.test(heading.textContent ?? "")) continue;
      for (let next = heading.nextElementSibling; next && next.tagName !== "H2"; next = next.nextElementSibling) {
        // A lesson's code blocks, as the build wraps them with their Copy button; not a widget's own <pre>.
        const blocks = next.matches(".code-block") ? [next] : [...next.querySelectorAll(".code-block")];
        for (const block of blocks) {
          const pre = block.querySelector(":scope > pre:not(.lab-export)");
          if (pre) texts.push(pre.textContent ?? "");
        }
      }
    }
    return texts;
  });
}

/**
 * Evaluates `code` as the DevTools console does with what a reader pastes (Runtime.evaluate in
 * REPL mode, with the console's command-line API), in the page's own origin and under its CSP.
 */
async function pasteIntoConsole(page: Page, code: string): Promise<void> {
  const devtools = await page.context().newCDPSession(page);
  const result = await devtools.send("Runtime.evaluate", {
    expression: code,
    replMode: true,
    includeCommandLineAPI: true,
    awaitPromise: true,
  });
  await devtools.detach();
  if (result.exceptionDetails)
    throw new Error(
      `the console reports: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`,
    );
}

type ConsoleCheck = (block: ClassifiedBlock, logged: () => string[]) => Promise<void>;

const consoleChecks: Record<string, ConsoleCheck> = {
  "08-security#1": async (block, logged) => {
    // "The lab closes the connection with 1008 and says why": its reason names the limit /lab/info reports.
    const [, code] = said(block.prose, /The lab closes the connection with (\d{4}) and says why/);
    const info = (await (await fetch(`${baseUrl}/lab/info`)).json()) as { maxMessagesPerSecond: number };
    await expect.poll(() => logged().find((line) => line.startsWith(`${code} `)), { timeout: 15_000 }).toBeTruthy();
    expect(logged().find((line) => line.startsWith(`${code} `))).toMatch(
      new RegExp(`^${code} .*\\b${info.maxMessagesPerSecond} messages per second`),
    );
  },
};

describe("the Try-it sections on the lesson pages", () => {
  for (const lesson of lessons) {
    it(`${lesson}: the lab's export line sets LAB to the page's host, and the blocks are the ones the runners run`, async () => {
      const page = await session.open(lessonHref(lesson));
      const host = new URL(baseUrl).host;
      const exportLine = page.locator("[data-lab-export]");
      await expect.poll(() => exportLine.textContent()).toBe(labExportLine(labAddressSource, host));
      const shown = (await exportLine.textContent())!;
      const { stdout } = await promisify(execFile)("bash", ["-c", `${shown}\nprintf '%s' "$LAB"`], {
        env: { PATH: process.env.PATH },
      });
      expect(stdout).toBe(host);
      expect(await renderedTryItBlocks(page)).toEqual(blocksOf.get(lesson)!.map((b) => b.code));
    });
  }
});

describe("DevTools console snippets run as written", () => {
  it("has a check for every console snippet, and none for a snippet that is gone", () => {
    expect(consoleBlocks.length).toBeGreaterThan(0);
    expect(consoleBlocks.map((b) => b.id).filter((id) => !(id in consoleChecks))).toEqual([]);
    expect(Object.keys(consoleChecks).filter((id) => !consoleBlocks.some((b) => b.id === id))).toEqual([]);
  });

  for (const block of consoleBlocks) {
    it(`${block.id} (line ${block.line}) in ${lessonHref(block.lesson)}`, async () => {
      const page = await session.open(lessonHref(block.lesson));
      const logged: string[] = [];
      page.on("console", (message) => logged.push(message.text()));
      await pasteIntoConsole(page, block.code);
      const check = consoleChecks[block.id];
      if (!check) throw new Error(`no check for ${block.id}`);
      await check(block, () => logged);
    });
  }
});
