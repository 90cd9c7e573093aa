// Every import between the project's own files, read from the source: TypeScript and .mjs files
// whole, an .astro file's front matter and <script> blocks, an .mdx lesson's import lines.
// TypeScript's own pre-processor finds the import specifiers (static, dynamic, re-exports and
// type-only alike: a type import still ties two layers together), so comments and strings that
// merely mention a path are not mistaken for imports.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export interface ImportEdge {
  /** Importing file, relative to the repository root with forward slashes. */
  from: string;
  /** Imported file, the same way. */
  to: string;
}

const SOURCE_FILE = /\.(ts|mjs|astro|mdx)$/;

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : SOURCE_FILE.test(name) ? [path] : [];
  });
}

/** The parts of a file that hold code, with its import statements. */
export function codeOf(path: string, text: string): string {
  if (path.endsWith(".astro")) {
    const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
    const scripts = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    return [frontMatter, ...scripts].join("\n");
  }
  if (path.endsWith(".mdx")) {
    // MDX imports are whole lines of ES module syntax outside code blocks.
    return text
      .replace(/^```[\s\S]*?^```/gm, "")
      .split("\n")
      .filter((line) => /^(import|export)\s/.test(line))
      .join("\n");
  }
  return text;
}

export function importSpecifiers(path: string, text: string): string[] {
  const info = ts.preProcessFile(codeOf(path, text), true, true);
  return info.importedFiles.map((file) => file.fileName);
}

/** The project's own files an import names (package imports and virtual modules are left out). */
function resolveSpecifier(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  const target = resolve(dirname(fromFile), specifier);
  for (const candidate of [target, `${target}.ts`, join(target, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${fromFile} imports "${specifier}", which names no file`);
}

export function importGraph(root: string, dirs: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const dir of dirs) {
    for (const file of listFiles(join(root, dir))) {
      for (const specifier of importSpecifiers(file, readFileSync(file, "utf8"))) {
        const target = resolveSpecifier(file, specifier);
        if (target)
          edges.push({
            from: relative(root, file).split("\\").join("/"),
            to: relative(root, target).split("\\").join("/"),
          });
      }
    }
  }
  return edges;
}
