// A message head as lines of wire text: one block per line, with a gutter marker and
// aria-current on the lines the current step is about, the bytes it points at wrapped in
// <mark>, line numbers, and a visible \r\n at each line end (the empty line that ends the head is just
// that). Tokens carry Shiki's colours as --shiki-light/--shiki-dark, like the build-time
// markup in HandshakeStepper.astro; text is only ever set as text, never parsed as HTML.
import type { MessageLine } from "../../protocol/handshake-steps.ts";
import type { ThemedToken } from "../shared/highlight-http.ts";

export interface WireHighlight {
  /** Line indices the step is about. */
  lines: ReadonlySet<number>;
  /** Byte ranges in this message (end exclusive) to mark inside their lines. */
  ranges: readonly { start: number; end: number }[];
}

/** Tokens for a line: Shiki's when they spell the line exactly, otherwise the plain text. */
function tokensFor(line: MessageLine, tokens: readonly ThemedToken[] | null | undefined): readonly ThemedToken[] {
  if (tokens && tokens.map((t) => t.content).join("") === line.text) return tokens;
  return line.text === "" ? [] : [{ content: line.text, light: "", dark: "" }];
}

function tokenSpan(doc: Document, token: ThemedToken, content: string): HTMLSpanElement {
  const span = doc.createElement("span");
  span.textContent = content;
  if (token.light) span.style.setProperty("--shiki-light", token.light);
  if (token.dark) span.style.setProperty("--shiki-dark", token.dark);
  return span;
}

/** The line's tokens, with the parts inside `ranges` (line-relative) wrapped in <mark>. */
function renderCode(
  doc: Document,
  code: HTMLElement,
  tokens: readonly ThemedToken[],
  ranges: readonly { start: number; end: number }[],
): void {
  let at = 0;
  let mark: HTMLElement | null = null;
  for (const token of tokens) {
    let from = 0;
    while (from < token.content.length) {
      const pos = at + from;
      const inside = ranges.find((r) => pos >= r.start && pos < r.end);
      // Cut the token where a range starts or ends.
      const cuts = ranges.flatMap((r) => [r.start, r.end]).filter((c) => c > pos && c < at + token.content.length);
      const to = (cuts.length > 0 ? Math.min(...cuts) : at + token.content.length) - at;
      const span = tokenSpan(doc, token, token.content.slice(from, to));
      if (inside) {
        if (!mark) {
          mark = doc.createElement("mark");
          mark.className = "bytes";
          code.append(mark);
        }
        mark.append(span);
      } else {
        mark = null;
        code.append(span);
      }
      from = to;
    }
    at += token.content.length;
  }
}

export function renderWire(
  pre: HTMLElement,
  lines: readonly MessageLine[],
  tokens: readonly (readonly ThemedToken[] | null)[] | null,
  highlight: WireHighlight,
): void {
  const doc = pre.ownerDocument;
  const code = doc.createElement("code");
  for (const line of lines) {
    const involved = highlight.lines.has(line.index);
    const row = doc.createElement("span");
    row.className = "line";
    row.dataset.line = String(line.index);
    row.dataset.kind = line.kind;
    if (involved) {
      row.dataset.involved = "";
      row.setAttribute("aria-current", "true");
    }
    const number = doc.createElement("span");
    number.className = "ln";
    number.setAttribute("aria-hidden", "true");
    number.textContent = String(line.index + 1);
    const gutter = doc.createElement("span");
    gutter.className = "gutter";
    gutter.setAttribute("aria-hidden", "true");
    gutter.textContent = involved ? "▶" : " ";
    const text = doc.createElement("span");
    text.className = "code";
    const lineEnd = line.offset + line.text.length;
    const ranges = highlight.ranges
      .filter((r) => r.start < lineEnd && r.end > line.offset && !(r.start <= line.offset && r.end >= lineEnd))
      .map((r) => ({
        start: Math.max(0, r.start - line.offset),
        end: Math.min(line.text.length, r.end - line.offset),
      }));
    renderCode(doc, text, tokensFor(line, tokens?.[line.index]), ranges);
    row.append(number, gutter, text);
    if (line.kind === "end") {
      const note = doc.createElement("span");
      note.className = "visually-hidden";
      note.textContent = "(empty line: the end of the head)";
      row.append(note);
    }
    if (line.length > line.text.length) {
      const eol = doc.createElement("span");
      eol.className = "eol";
      eol.setAttribute("aria-hidden", "true");
      eol.textContent = line.length - line.text.length === 2 ? "\\r\\n" : "\\n";
      row.append(eol);
    }
    code.append(row);
  }
  pre.replaceChildren(code);
}

/** The tokens of lines rendered at build time, so the first render keeps Shiki's colours. */
export function readTokens(pre: HTMLElement): ThemedToken[][] {
  return [...pre.querySelectorAll<HTMLElement>(".line")].map((row) =>
    [...row.querySelectorAll<HTMLElement>(".code span")]
      .filter((s) => s.children.length === 0)
      .map((span) => ({
        content: span.textContent ?? "",
        light: span.style.getPropertyValue("--shiki-light"),
        dark: span.style.getPropertyValue("--shiki-dark"),
      })),
  );
}
