// Shiki in the browser, for protocol text that only exists at run time (the handshake a
// reader's own browser just sent). Loaded on first use, with only the small HTTP-head grammar
// (http-wire-grammar.ts, its patterns already JavaScript regular expressions), the two code
// themes and Shiki's raw JavaScript engine (no WebAssembly, no regex converter), so pages that
// never show a live handshake never download it. Output uses the same --shiki-light /
// --shiki-dark variables as the build-time highlighting, so global.css themes both alike.
import type { HighlighterCore } from "shiki/core";
import { codeThemes } from "./code-themes.ts";
import { httpWireGrammarPrecompiled } from "./http-wire-grammar.ts";

export interface ThemedToken {
  content: string;
  light: string;
  dark: string;
}

let highlighter: Promise<HighlighterCore> | null = null;

function load(): Promise<HighlighterCore> {
  highlighter ??= (async () => {
    // One after the other, not all at once: each module then runs in a task of its own, and no
    // single task holds the page still for the whole of Shiki's start-up.
    const { createHighlighterCore } = await import("shiki/core");
    const { createJavaScriptRawEngine } = await import("shiki/engine/javascript");
    const [light, dark] = await Promise.all([
      import("shiki/dist/themes/github-light-high-contrast.mjs"),
      import("shiki/dist/themes/github-dark-high-contrast.mjs"),
    ]);
    const core = await createHighlighterCore({
      themes: [light.default, dark.default],
      langs: [httpWireGrammarPrecompiled],
      engine: createJavaScriptRawEngine(),
    });
    // The first text highlighted runs the tokeniser's code for the first time (compiling it): that
    // happens in the next task, not in this one, which has just set the themes and grammar up.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return core;
  })();
  return highlighter;
}

/** HTTP text (CR LF or LF line ends) as lines of themed tokens; one entry per line. */
export async function tokenizeHttp(text: string): Promise<ThemedToken[][]> {
  const shiki = await load();
  const lines = text.replace(/\r\n/g, "\n").replace(/\n+$/, "");
  const result = shiki.codeToTokens(lines, { lang: "http-wire", themes: codeThemes, defaultColor: false });
  return result.tokens.map((line) =>
    line.map((token) => ({
      content: token.content,
      light: token.htmlStyle?.["--shiki-light"] ?? "",
      dark: token.htmlStyle?.["--shiki-dark"] ?? "",
    })),
  );
}

/** One highlighted line as DOM (text nodes only: captured bytes are never parsed as HTML). */
export function renderTokens(tokens: readonly ThemedToken[], doc: Document = document): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  for (const token of tokens) {
    const span = doc.createElement("span");
    span.textContent = token.content;
    if (token.light) span.style.setProperty("--shiki-light", token.light);
    if (token.dark) span.style.setProperty("--shiki-dark", token.dark);
    fragment.append(span);
  }
  return fragment;
}
