// Wire bytes as a grid where every byte explains itself: a WebSocket frame's in the frame
// inspector (protocol/frame-dissect.ts), a TLS record's in lesson 7 (protocol/tls-dissect.ts).
// Each byte is an option of a listbox: arrow keys (and hovering) move through them, and the
// explanation panel names every field the byte holds with its bits, value, meaning and RFC
// section, as the dissection reports them. The caller says which colour class a field gets.
import type { ByteField } from "../../protocol/byte-field.ts";
import { keepChildren, setAttr, setData, setText } from "./dom-writes.ts";
import { formatCount } from "./format-count.ts";

/** One field of a dissection: a frame's or a TLS record's. */
export type GridField = ByteField;

/** The colour class of a field (its background in the grid and the legend). */
export type FieldClass = (field: GridField) => string;

/** Bytes shown in the grid; the rest of a large payload is summarised. */
export const MAX_GRID_BYTES = 192;

const hex = (n: number): string => n.toString(16).padStart(2, "0");

export function fieldsAt(fields: readonly GridField[], index: number): GridField[] {
  return fields.filter((f) => index >= f.byteStart && index < f.byteEnd);
}

function bitsText(field: GridField): string {
  if (field.bitLength % 8 === 0 && field.bitStart % 8 === 0) {
    const bytes = field.bitLength / 8;
    return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  }
  const first = field.bitStart % 8;
  return field.bitLength === 1
    ? `bit ${first} of the byte`
    : `bits ${first}–${first + field.bitLength - 1} of the byte`;
}

export function explainByte(fields: readonly GridField[], raw: Uint8Array, index: number): string {
  const b = raw[index]!;
  const parts = fieldsAt(fields, index).map((f) => {
    const value = f.value === null ? "" : ` = ${f.value}`;
    return `${f.name} (${bitsText(f)}${value}): ${f.meaning} [${f.rfc}]`;
  });
  return `Byte ${index}: 0x${hex(b)} = ${b.toString(2).padStart(8, "0")} in binary. ${parts.join(" ")}`;
}

/** Rows the byte grid takes for a frame of `length` bytes at `columns` bytes a row (the "more" line included). */
export function byteGridRows(length: number, columns: number): number {
  return Math.ceil(Math.min(length, MAX_GRID_BYTES) / columns) + (length > MAX_GRID_BYTES ? 1 : 0);
}

const makeCell = (): HTMLSpanElement => {
  const cell = document.createElement("span");
  cell.setAttribute("role", "option");
  return cell;
};

/**
 * Draws `raw` into `container`, reusing the cells already there (the frame inspector redraws the
 * grid for each new frame it shows, about once a second while live) and writing only what
 * changed in each. `explain` is told the byte the reader is on (by key or pointer, and 0 at
 * first) and writes what the widget says about it: a sentence (explainByte) or notes.
 */
export function renderByteGrid(
  container: HTMLElement,
  raw: Uint8Array,
  fields: readonly GridField[],
  idPrefix: string,
  classOf: FieldClass,
  explain: (index: number) => void,
): void {
  const shown = Math.min(raw.length, MAX_GRID_BYTES);
  container.querySelector(":scope > .more")?.remove();
  const cells = keepChildren(container, shown, makeCell);
  for (let i = 0; i < shown; i++) {
    const cell = cells[i]!;
    const here = fieldsAt(fields, i);
    const byte = hex(raw[i]!);
    setAttr(cell, "id", `${idPrefix}-b${i}`);
    setData(cell, "index", String(i));
    setAttr(cell, "class", here[0] ? `byte ${classOf(here[0])}` : "byte");
    setText(cell, byte);
    // The accessible name starts with the visible text (WCAG 2.5.3), then says where it sits.
    setAttr(cell, "aria-label", `${byte}, byte ${i}: ${here.map((f) => f.name).join(", ")}`);
  }
  if (raw.length > shown) {
    const more = document.createElement("span");
    more.className = "more";
    more.textContent = `… first ${shown} of ${formatCount(raw.length)} bytes shown; the other ${formatCount(raw.length - shown)} are left out here.`;
    container.append(more);
  }
  const select = (index: number): void => {
    const clamped = Math.max(0, Math.min(index, shown - 1));
    cells.forEach((cell, i) => setAttr(cell, "aria-selected", String(i === clamped)));
    setAttr(container, "aria-activedescendant", `${idPrefix}-b${clamped}`);
    setAttr(container, "data-active", String(clamped));
    explain(clamped);
  };
  container.onkeydown = (event) => {
    const current = Number(container.dataset.active ?? 0);
    // 16 bytes a row, 8 on a narrow screen (the stylesheet decides): up and down move by a row.
    const columns = Math.max(1, getComputedStyle(container).gridTemplateColumns.split(" ").length);
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns };
    if (event.key in moves) select(current + moves[event.key]!);
    else if (event.key === "Home") select(0);
    else if (event.key === "End") select(shown - 1);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  container.onpointerover = (event) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>("[role=option]");
    if (target) select(Number(target.dataset.index));
  };
  select(0);
}

export function renderLegend(list: HTMLElement, fields: readonly GridField[], classOf: FieldClass): void {
  const items = keepChildren(list, fields.length, () => document.createElement("li"));
  fields.forEach((f, i) => {
    const where = f.byteEnd - f.byteStart > 1 ? `bytes ${f.byteStart}–${f.byteEnd - 1}` : `byte ${f.byteStart}`;
    const value = f.value === null ? "" : ` = ${f.value}`;
    setAttr(items[i]!, "class", classOf(f));
    setText(items[i]!, `${f.name} (${where}, ${bitsText(f)}${value}): ${f.meaning} — ${f.rfc}`);
  });
}
