// Writes note lines (byte-notes.ts) into the page: one line an element, the fact's section after
// it in a span of its own (the stylesheet keeps it whole and quieter), so each fact starts a line
// and wraps on its own. Redrawn in the elements already there: the frame inspector writes the
// notes again for every byte the reader moves to and every frame it shows.
import type { NoteLine } from "./byte-notes.ts";
import { keepChildren, setAttr, setText } from "./dom-writes.ts";

function makeLine(): HTMLSpanElement {
  const line = document.createElement("span");
  const text = document.createElement("span");
  text.className = "note-text";
  const rfc = document.createElement("span");
  rfc.className = "note-rfc";
  // A space between the two, so the line reads (and copies) as "… masked. RFC 6455 §5.2".
  line.append(text, " ", rfc);
  return line;
}

export function renderNoteLines(container: Element, lines: readonly NoteLine[]): void {
  const elements = keepChildren(container, lines.length, makeLine);
  lines.forEach((line, i) => {
    const element = elements[i]!;
    setAttr(element, "class", `note note-${line.kind}`);
    setText(element.firstElementChild!, line.text);
    setText(element.lastElementChild!, line.rfc);
  });
}
