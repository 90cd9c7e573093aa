// What code that must run unchanged in a browser, in Node and in Vitest may not contain
// (ARCHITECTURE.md, "Layers"): Node's or a page's own globals, imports of packages other than
// those allowed, relative imports without the `.ts` that plain `node` needs, and syntax type
// stripping cannot remove (enum, namespace). Shared by src/protocol's and src/sim's portability
// tests. Comments, strings and property names (`o.process`) are not mistaken for globals: the
// source is read by TypeScript's own scanner.
import ts from "typescript";

/** Globals that exist only in Node or only in a page. */
const NODE_OR_PAGE_GLOBALS = new Set([
  "Buffer",
  "process",
  "require",
  "module",
  "exports",
  "__dirname",
  "__filename",
  "global",
  "setImmediate",
  "clearImmediate",
  "document",
  "window",
  "navigator",
  "location",
  "localStorage",
  "sessionStorage",
  "customElements",
  "HTMLElement",
  "Element",
  "Node",
  "DOMParser",
  "XMLHttpRequest",
  "alert",
]);

export interface WebOnlyRules {
  /** Packages the code may import (xstate, for the simulations). */
  packages?: readonly string[];
  /** A folder's name when only modules of that folder may be imported ("src/protocol"). */
  onlyWithin?: string;
}

export function webOnlyViolations(source: string, rules: WebOnlyRules = {}): string[] {
  const found: string[] = [];
  for (const { fileName: spec } of ts.preProcessFile(source, true, true).importedFiles) {
    if (rules.packages?.includes(spec)) continue;
    if (!spec.startsWith("./") && !spec.startsWith("../")) found.push(`imports "${spec}", a package it may not use`);
    else if (!spec.endsWith(".ts")) found.push(`imports "${spec}" without the .ts extension that plain node needs`);
    else if (rules.onlyWithin && spec.startsWith("../"))
      found.push(`imports "${spec}" from outside ${rules.onlyWithin}`);
  }
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source);
  let previous = ts.SyntaxKind.Unknown;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    // Some names (require, module, global) scan as contextual keywords rather than identifiers.
    const isName =
      token === ts.SyntaxKind.Identifier || (token >= ts.SyntaxKind.FirstKeyword && token <= ts.SyntaxKind.LastKeyword);
    const isProperty = previous === ts.SyntaxKind.DotToken || previous === ts.SyntaxKind.QuestionDotToken;
    if (isName && !isProperty && NODE_OR_PAGE_GLOBALS.has(scanner.getTokenText()))
      found.push(`uses ${scanner.getTokenText()}, which is not a Web API available everywhere`);
    if (token === ts.SyntaxKind.EnumKeyword || token === ts.SyntaxKind.NamespaceKeyword)
      found.push(`uses ${scanner.getTokenText()}, which type stripping cannot remove`);
    previous = token;
  }
  return found;
}
