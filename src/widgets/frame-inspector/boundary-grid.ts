// Draws one direction's boundary grid: frames (F1, F2…) on the top row, the lab's TCP reads or
// writes under them, each as wide as the columns its bytes span. It draws the bounded window a
// BoundaryTail keeps, so its cost does not grow with the session, and its hint says how many
// older frames and chunks are left out.
import type { Direction } from "../../protocol/tap-events.ts";
import { layoutBoundaries, type Span } from "./boundaries.ts";
import type { BoundaryWindow } from "./boundary-tail.ts";
import { bytesLabel } from "../shared/bytes-label.ts";
import { formatCount } from "../shared/format-count.ts";
import { setText } from "../shared/dom-writes.ts";

/** What one box of the grid shows. */
interface BoxLook {
  className: string;
  column: string;
  row: string;
  text: string;
  title: string;
}

/**
 * Draws the grid into `holder`, reusing the boxes already there: it is drawn again every second
 * while frames arrive, and making its boxes anew each time (about 150 elements a second, each
 * with its own inline style) was most of the elements the inspector made under load, all garbage
 * a second later for the browser's collector to sweep.
 */
export function renderBoundaryGrid(holder: HTMLElement, dir: Direction, tail: BoundaryWindow): void {
  const layout = layoutBoundaries(
    tail.frames.map((f) => f.frame),
    tail.chunks,
    dir,
  );
  if (layout.widths.length === 0) {
    holder.replaceChildren();
    return;
  }
  let grid = holder.firstElementChild;
  let note = grid?.nextElementSibling;
  if (!(grid instanceof HTMLDivElement) || !(note instanceof HTMLParagraphElement)) {
    grid = document.createElement("div");
    grid.className = "boundary-grid";
    note = document.createElement("p");
    note.className = "hint";
    holder.replaceChildren(grid, note);
  }
  const columns = layout.widths.map((w) => `minmax(0.9rem, ${Math.sqrt(w).toFixed(2)}fr)`).join(" ");
  if (gridColumns.get(grid) !== columns) {
    (grid as HTMLElement).style.gridTemplateColumns = columns;
    gridColumns.set(grid, columns);
  }
  const looks = [
    ...layout.frames.map((span, i) =>
      boxLook(span, "frame", dir, `F${(tail.frames[span.frameIndex ?? i]?.index ?? i) + 1}`),
    ),
    ...layout.chunks.map((span) => boxLook(span, "chunk", dir, `${span.label} ${bytesLabel(span.end - span.start)}`)),
  ];
  looks.forEach((look, i) =>
    showBox((grid.children[i] as HTMLElement | undefined) ?? grid.appendChild(document.createElement("span")), look),
  );
  while (grid.children.length > looks.length) grid.lastElementChild!.remove();
  setText(
    note as HTMLElement,
    [alignmentHint(layout.misaligned), leftOutHint(dir, tail, layout.frames.length, layout.chunks.length)]
      .filter(Boolean)
      .join(" "),
  );
}

/** What each box, and each grid's columns, were last given: only what changed is written. */
const written = new WeakMap<Element, BoxLook>();
const gridColumns = new WeakMap<Element, string>();

function boxLook(span: Span, kind: "frame" | "chunk", dir: Direction, text: string): BoxLook {
  return {
    className: `span ${kind}`,
    column: `${span.column[0]} / ${span.column[1]}`,
    row: kind === "frame" ? "1" : "2",
    text,
    title: `${kind === "frame" ? "Frame" : dir === "in" ? "TCP read" : "Write"}: bytes ${span.start}–${span.end - 1} (${bytesLabel(span.end - span.start)})`,
  };
}

function showBox(box: HTMLElement, look: BoxLook): void {
  const before = written.get(box);
  if (before?.className !== look.className) box.className = look.className;
  if (before?.column !== look.column) box.style.gridColumn = look.column;
  if (before?.row !== look.row) box.style.gridRow = look.row;
  if (before?.text !== look.text) {
    // The text node is kept and its text changed: a new one would be one more object to collect.
    const text = box.firstChild;
    if (text instanceof Text) text.data = look.text;
    else box.textContent = look.text;
  }
  if (before?.title !== look.title) box.title = look.title;
  written.set(box, look);
}

function alignmentHint(misaligned: boolean): string {
  return misaligned
    ? "Frame edges and TCP edges differ here: TCP carries a byte stream, so one read can hold several frames or part of one."
    : "Here every TCP read or write happens to hold exactly one frame; send a long message to see them part.";
}

/** How much of a long session the grid leaves out, counted from the capture. */
export function leftOutHint(dir: Direction, tail: BoundaryWindow, framesDrawn: number, chunksDrawn: number): string {
  const olderFrames = Math.max(0, tail.totalFrames - framesDrawn);
  const olderChunks = Math.max(0, tail.totalChunks - chunksDrawn);
  if (olderFrames === 0 && olderChunks === 0) return "";
  const chunk = dir === "in" ? "read" : "write";
  const count = (n: number, name: string): string => `${formatCount(n)} ${name}${n === 1 ? "" : "s"}`;
  return `Only the latest ${count(framesDrawn, "frame")} and ${count(chunksDrawn, chunk)} are drawn; ${count(olderFrames, "older frame")} and ${count(olderChunks, `older ${chunk}`)} are left out.`;
}
