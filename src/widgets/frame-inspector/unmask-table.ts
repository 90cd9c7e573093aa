// A masked frame's payload unmasked byte by byte with the key the browser chose (RFC 6455 §5.3),
// and the colour each frame field gets in the byte grid (../shared/byte-grid.ts).
import type { FrameDissection } from "../../protocol/frame-dissect.ts";
import type { GridField } from "../shared/byte-grid.ts";
import { keepChildren, setText } from "../shared/dom-writes.ts";

export const MAX_UNMASK_ROWS = 24;

const hex = (n: number): string => n.toString(16).padStart(2, "0");

const FRAME_FIELD_CLASS: Record<string, string> = {
  fin: "f-flags",
  rsv1: "f-flags",
  rsv2: "f-flags",
  rsv3: "f-flags",
  opcode: "f-flags",
  mask: "f-length",
  "payload-length": "f-length",
  "extended-payload-length": "f-ext",
  "masking-key": "f-key",
  payload: "f-payload",
  "close-code": "f-payload",
  "close-reason": "f-payload",
};

export const frameFieldClass = (field: GridField): string => FRAME_FIELD_CLASS[field.id] ?? "f-payload";

/** A row of `cells` cells: reused as it is when it has that many, else given them anew. */
function rowOf(row: HTMLTableRowElement, cells: number): HTMLTableCellElement[] {
  if (row.cells.length !== cells)
    row.replaceChildren(...Array.from({ length: cells }, () => document.createElement("td")));
  return Array.from(row.cells);
}

/**
 * The unmasking of a frame's payload, one row per byte. Redrawn for each frame the inspector
 * shows (about once a second while live), in the rows already there.
 */
export function renderUnmask(table: HTMLTableSectionElement, summary: HTMLElement, dissection: FrameDissection): void {
  const steps = dissection.unmaskSteps;
  if (!dissection.masked || !dissection.maskingKey) {
    keepChildren(table, 0, () => document.createElement("tr"));
    setText(
      summary,
      "This frame is not masked: servers never mask (RFC 6455 §5.1), so its payload bytes are the data itself.",
    );
    return;
  }
  const key = Array.from(dissection.maskingKey, hex).join(" ");
  setText(
    summary,
    `Masked with the key ${key}, which your browser picked at random for this frame. Each payload byte is XORed with key byte (i mod 4) (RFC 6455 §5.3); anyone can undo it, so masking is not encryption.`,
  );
  const shown = steps.slice(0, MAX_UNMASK_ROWS);
  const more = steps.length - shown.length;
  const rows = keepChildren(table, shown.length + (more > 0 ? 1 : 0), () => document.createElement("tr"));
  shown.forEach((step, i) => {
    const char = step.value >= 0x20 && step.value < 0x7f ? String.fromCharCode(step.value) : "·";
    const texts = [
      String(step.offset),
      hex(step.wire),
      `key[${step.keyIndex}] = ${hex(step.key)}`,
      hex(step.value),
      char,
    ];
    rowOf(rows[i]!, texts.length).forEach((cell, j) => setText(cell, texts[j]!));
  });
  if (more > 0) {
    const [cell] = rowOf(rows.at(-1)!, 1);
    cell!.colSpan = 5;
    setText(cell!, `… and ${more} more bytes, unmasked the same way.`);
  }
}
