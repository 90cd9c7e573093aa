// Draws one direction's boundary grid: frames (F1, F2…) on the top row, the lab's TCP reads or
// writes under them, each as wide as the columns its bytes span. It draws the bounded window a
// BoundaryTail keeps, so its cost does not grow with the session, and its hint says how many
// older frames and chunks are left out.
import type { Direction } from "../../protocol/tap-events.ts";
import { layoutBoundaries, type Span } from "./boundaries.ts";
import type { BoundaryWindow } from "./boundary-tail.ts";
import { bytesLabel } from "./describe-capture.ts";
import { formatCount } from "../shared/format-count.ts";

export function renderBoundaryGrid(holder: HTMLElement, dir: Direction, tail: BoundaryWindow): void {
  const layout = layoutBoundaries(tail.frames.map((f) => f.frame), tail.chunks, dir);
  holder.replaceChildren();
  if (layout.widths.length === 0) return;
  const grid = document.createElement("div");
  grid.className = "boundary-grid";
  grid.style.gridTemplateColumns = layout.widths.map((w) => `minmax(0.9rem, ${Math.sqrt(w).toFixed(2)}fr)`).join(" ");
  layout.frames.forEach((span, i) => grid.append(spanBox(span, "frame", dir, `F${(tail.frames[span.frameIndex ?? i]?.index ?? i) + 1}`)));
  layout.chunks.forEach((span) => grid.append(spanBox(span, "chunk", dir, `${span.label} ${bytesLabel(span.end - span.start)}`)));
  const note = document.createElement("p");
  note.className = "hint";
  note.textContent = [alignmentHint(layout.misaligned), leftOutHint(dir, tail, layout.frames.length, layout.chunks.length)].filter(Boolean).join(" ");
  holder.append(grid, note);
}

function spanBox(span: Span, kind: "frame" | "chunk", dir: Direction, text: string): HTMLElement {
  const box = document.createElement("span");
  box.className = `span ${kind}`;
  box.style.gridColumn = `${span.column[0]} / ${span.column[1]}`;
  box.style.gridRow = kind === "frame" ? "1" : "2";
  box.textContent = text;
  box.title = `${kind === "frame" ? "Frame" : dir === "in" ? "TCP read" : "Write"}: bytes ${span.start}–${span.end - 1} (${bytesLabel(span.end - span.start)})`;
  return box;
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
