// The code blocks of every lesson's "Try it" sections, read from the MDX source, with what each
// one is: a shell command, a Node script the reader saves and runs, a snippet for the browser's
// DevTools console, the output a snippet prints, or lines the reader types into the command
// before. Pure (text in, data out), so the tests that run every snippet as written
// (src/server/try-it-snippets.test.ts, tests/e2e/try-it.test.ts) find new snippets by themselves,
// and a block of a kind nobody can run fails a test instead of going unchecked.

export interface TryItBlock {
  /** The lesson's file name without .mdx, e.g. "05-frames". */
  lesson: string;
  /** "05-frames#2": the lesson and the block's place among its Try-it blocks, from 0. */
  id: string;
  /** The heading of the Try-it section it is in. */
  section: string;
  /** 1-based line of the opening fence in the lesson's source. */
  line: number;
  /** The language after the fence, "" when there is none. */
  lang: string;
  /** The block as a reader copies it, without the fences or the last line break. */
  code: string;
  /** The text between the previous block (or the section's heading) and this block. */
  prose: string;
  /** The text between this block and the next (or the end of the section): what it shows, often. */
  after: string;
}

export interface TryItSection {
  lesson: string;
  heading: string;
  line: number;
  /** Whether the section shows <LabAddress />, the `export LAB=…` line its commands rely on. */
  hasLabAddress: boolean;
  blocks: TryItBlock[];
}

export type ClassifiedBlock = TryItBlock &
  (
    | { kind: "shell" }
    /** `file`: the name the lesson says to save it as; `run`: the command it gives to run it, if any. */
    | { kind: "node-script"; file: string; run: string | null }
    | { kind: "console" }
    /** What the block `of` (an id) prints, as the lesson shows it. */
    | { kind: "output"; of: string }
    /** Lines the reader types into the command of block `of` (an id), which reads them. */
    | { kind: "typed-input"; of: string }
    /** A block no runner can run or check, and why. */
    | { kind: null; problem: string }
  );

const SHELL_LANGS = new Set(["bash", "sh", "shell"]);
const SCRIPT_LANGS = new Set(["js", "javascript", "mjs"]);
/** Output has no language (or plain text): the lessons write what a command prints that way. */
const OUTPUT_LANGS = new Set(["", "text"]);
/** JSON lines under a command that reads what is typed (wscat) are typed, not run. */
const TYPED_LANGS = new Set(["json"]);

const FENCE = /^(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^(#{1,2})\s+(.*?)\s*$/;
const TRY_IT_HEADING = /^Try it\b/;

/** Every "Try it…" section of a lesson (## headings starting with "Try it"), with its code blocks. */
export function tryItSections(lesson: string, source: string): TryItSection[] {
  const lines = source.split("\n");
  const sections: TryItSection[] = [];
  let current: TryItSection | null = null;
  let prose: string[] = [];
  let fence: { marker: string; lang: string; line: number; body: string[] } | null = null;
  let first = 0;
  /** The text after a section's last block belongs to that block. */
  const closeSection = (): void => {
    const last = current?.blocks.at(-1);
    if (last) last.after = prose.join("\n").trim();
  };
  // Front matter (between the first two --- lines) is not part of the text.
  if (lines[0] === "---") {
    const end = lines.indexOf("---", 1);
    if (end > 0) first = end + 1;
  }
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence) {
      const closing = FENCE.exec(line);
      if (
        closing &&
        closing[1]![0] === fence.marker[0] &&
        closing[1]!.length >= fence.marker.length &&
        line.trim() === closing[1]
      ) {
        if (current) {
          const index = current.blocks.length;
          const text = prose.join("\n").trim();
          const previous = current.blocks.at(-1);
          if (previous) previous.after = text;
          current.blocks.push({
            lesson,
            id: `${lesson}#${index}`,
            section: current.heading,
            line: fence.line,
            lang: fence.lang,
            code: fence.body.join("\n"),
            prose: text,
            after: "",
          });
          prose = [];
        }
        fence = null;
      } else fence.body.push(line);
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      fence = { marker: opening[1]!, lang: opening[2]!.toLowerCase(), line: i + 1, body: [] };
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      closeSection();
      current =
        TRY_IT_HEADING.test(heading[2]!) && heading[1] === "##"
          ? { lesson, heading: heading[2]!, line: i + 1, hasLabAddress: false, blocks: [] }
          : null;
      if (current) sections.push(current);
      prose = [];
      continue;
    }
    if (current) {
      if (/<LabAddress\s*\/>/.test(line)) current.hasLabAddress = true;
      prose.push(line);
    }
  }
  if (fence) throw new Error(`${lesson}: the code block opened on line ${fence.line} is never closed`);
  closeSection();
  return sections;
}

/** The code blocks of all of a lesson's Try-it sections, in order. */
export function tryItBlocks(lesson: string, source: string): TryItBlock[] {
  return tryItSections(lesson, source).flatMap((section) => section.blocks);
}

// Prose wraps anywhere, so any run of white space may stand between the words.
const SAVE_AS = /\bsave\s+(?:(?:it|this|this\s+script)\s+)?as\s+`?([\w.-]+\.m?js)`?/i;
const RUN = /\brun(?:\s+it\s+with)?:?\s+`?((?:[A-Z_]+=\S+\s+)*node\s+[\w.-]+\.m?js)`?/;
const CONSOLE = /\bconsole\b/i;

/** The block's opening comment lines, where a script may say how to save and run it. */
function leadingComments(code: string): string {
  const comments: string[] = [];
  for (const line of code.split("\n")) {
    if (!line.startsWith("//")) break;
    comments.push(line.slice(2));
  }
  return comments.join("\n");
}

/** What each block of a section is; blocks of a kind no runner knows get kind null and a reason. */
export function classifyBlocks(blocks: readonly TryItBlock[]): ClassifiedBlock[] {
  const out: ClassifiedBlock[] = [];
  // Typed with `as` so the loop does not narrow it to its first value.
  let lastRunnable = null as ClassifiedBlock | null;
  for (const block of blocks) {
    let classified: ClassifiedBlock;
    if (SHELL_LANGS.has(block.lang)) classified = { ...block, kind: "shell" };
    else if (SCRIPT_LANGS.has(block.lang)) {
      const said = `${block.prose}\n${leadingComments(block.code)}`;
      const file = SAVE_AS.exec(said)?.[1];
      if (file) classified = { ...block, kind: "node-script", file, run: RUN.exec(said)?.[1] ?? null };
      else if (CONSOLE.test(block.prose)) classified = { ...block, kind: "console" };
      else
        classified = {
          ...block,
          kind: null,
          problem:
            'a js block must say the file to save it as ("save it as `name.mjs`") or that it runs in the browser\'s console',
        };
    } else if (OUTPUT_LANGS.has(block.lang)) {
      classified = lastRunnable
        ? { ...block, kind: "output", of: lastRunnable.id }
        : { ...block, kind: null, problem: "output with no command before it" };
    } else if (TYPED_LANGS.has(block.lang)) {
      classified =
        lastRunnable?.kind === "shell"
          ? { ...block, kind: "typed-input", of: lastRunnable.id }
          : { ...block, kind: null, problem: "typed lines need a shell command before them that reads them" };
    } else classified = { ...block, kind: null, problem: `no runner for a block of language "${block.lang}"` };
    if (classified.kind === "shell" || classified.kind === "node-script" || classified.kind === "console")
      lastRunnable = classified;
    out.push(classified);
  }
  return out;
}

/** The inline scripts of `node -e '…'` in a shell block (single-quoted, as the lessons write them). */
export function nodeEvalScripts(code: string): string[] {
  return [...code.matchAll(/\bnode -e '([^']*)'/g)].map((match) => match[1]!);
}

/**
 * The `export LAB=…` line <LabAddress /> shows a reader on a page at `host` (host:port), read from
 * the template its script fills in (src/widgets/lab-address/LabAddress.astro), so the tests paste
 * exactly what a reader is told to.
 */
export function labExportLine(labAddressSource: string, host: string): string {
  const template = /\.textContent\s*=\s*`(export LAB=[^`]*)`/.exec(labAddressSource)?.[1];
  if (!template) throw new Error("LabAddress.astro no longer writes an `export LAB=…` template into its code element");
  const line = template.replaceAll("${host}", host);
  if (line.includes("${"))
    throw new Error(`LabAddress's export line has a value the tests cannot fill in: ${template}`);
  return line;
}
