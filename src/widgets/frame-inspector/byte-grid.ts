// The selected frame's bytes as a grid where every byte explains itself. Each byte is an
// option of a listbox: arrow keys (and hovering) move through them, and the explanation panel
// names every field the byte holds (FIN, RSV, opcode, MASK, length form, key, payload) with
// its bits, value, meaning and RFC section, as dissectFrame reports them. For a masked frame
// the unmasking is shown byte by byte with the key the browser chose (RFC 6455 §5.3).
import type { FrameDissection, FrameField } from "../../protocol/frame-dissect.ts";
import { formatCount } from "../shared/format-count.ts";

/** Bytes shown in the grid; the rest of a large payload is summarised. */
export const MAX_GRID_BYTES = 192;
export const MAX_UNMASK_ROWS = 24;

const fieldClass: Record<string, string> = {
  fin: "f-flags", rsv1: "f-flags", rsv2: "f-flags", rsv3: "f-flags", opcode: "f-flags",
  mask: "f-length", "payload-length": "f-length", "extended-payload-length": "f-ext",
  "masking-key": "f-key", payload: "f-payload", "close-code": "f-payload", "close-reason": "f-payload",
};

const hex = (n: number): string => n.toString(16).padStart(2, "0");

export function fieldsAt(dissection: FrameDissection, index: number): FrameField[] {
  return dissection.fields.filter((f) => index >= f.byteStart && index < f.byteEnd);
}

function bitsText(field: FrameField): string {
  if (field.bitLength % 8 === 0 && field.bitStart % 8 === 0) {
    const bytes = field.bitLength / 8;
    return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  }
  const first = field.bitStart % 8;
  return field.bitLength === 1 ? `bit ${first} of the byte` : `bits ${first}–${first + field.bitLength - 1} of the byte`;
}

export function explainByte(dissection: FrameDissection, raw: Uint8Array, index: number): string {
  const b = raw[index]!;
  const parts = fieldsAt(dissection, index).map((f) => {
    const value = f.value === null ? "" : ` = ${f.value}`;
    return `${f.name} (${bitsText(f)}${value}): ${f.meaning} [${f.rfc}]`;
  });
  return `Byte ${index}: 0x${hex(b)} = ${b.toString(2).padStart(8, "0")} in binary. ${parts.join(" ")}`;
}

/** Rows the byte grid takes for a frame of `length` bytes at `columns` bytes a row (the "more" line included). */
export function byteGridRows(length: number, columns: number): number {
  return Math.ceil(Math.min(length, MAX_GRID_BYTES) / columns) + (length > MAX_GRID_BYTES ? 1 : 0);
}

export function renderByteGrid(container: HTMLElement, explanation: HTMLElement, raw: Uint8Array, dissection: FrameDissection, idPrefix: string): void {
  container.replaceChildren();
  const shown = Math.min(raw.length, MAX_GRID_BYTES);
  for (let i = 0; i < shown; i++) {
    const cell = document.createElement("span");
    cell.id = `${idPrefix}-b${i}`;
    cell.setAttribute("role", "option");
    cell.dataset.index = String(i);
    const fields = fieldsAt(dissection, i);
    cell.className = `byte ${fieldClass[fields[0]?.id ?? "payload"] ?? "f-payload"}`;
    cell.textContent = hex(raw[i]!);
    // The accessible name starts with the visible text (WCAG 2.5.3), then says where it sits.
    cell.setAttribute("aria-label", `${hex(raw[i]!)}, byte ${i}: ${fields.map((f) => f.name).join(", ")}`);
    container.append(cell);
  }
  if (raw.length > shown) {
    const more = document.createElement("span");
    more.className = "more";
    more.textContent = `… first ${shown} of ${formatCount(raw.length)} bytes shown; the other ${formatCount(raw.length - shown)} are left out here.`;
    container.append(more);
  }
  const select = (index: number): void => {
    const clamped = Math.max(0, Math.min(index, shown - 1));
    for (const cell of container.querySelectorAll<HTMLElement>("[role=option]")) cell.setAttribute("aria-selected", String(Number(cell.dataset.index) === clamped));
    container.setAttribute("aria-activedescendant", `${idPrefix}-b${clamped}`);
    container.dataset.active = String(clamped);
    explanation.textContent = explainByte(dissection, raw, clamped);
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

export function renderLegend(list: HTMLElement, dissection: FrameDissection): void {
  list.replaceChildren();
  for (const f of dissection.fields) {
    const item = document.createElement("li");
    item.className = fieldClass[f.id] ?? "f-payload";
    const where = f.byteEnd - f.byteStart > 1 ? `bytes ${f.byteStart}–${f.byteEnd - 1}` : `byte ${f.byteStart}`;
    const value = f.value === null ? "" : ` = ${f.value}`;
    item.textContent = `${f.name} (${where}, ${bitsText(f)}${value}): ${f.meaning} — ${f.rfc}`;
    list.append(item);
  }
}

export function renderUnmask(table: HTMLTableSectionElement, summary: HTMLElement, dissection: FrameDissection): void {
  table.replaceChildren();
  const steps = dissection.unmaskSteps;
  if (!dissection.masked || !dissection.maskingKey) {
    summary.textContent = "This frame is not masked: servers never mask (RFC 6455 §5.1), so its payload bytes are the data itself.";
    return;
  }
  const key = Array.from(dissection.maskingKey, hex).join(" ");
  summary.textContent = `Masked with the key ${key}, which your browser picked at random for this frame. Each payload byte is XORed with key byte (i mod 4) (RFC 6455 §5.3); anyone can undo it, so masking is not encryption.`;
  for (const step of steps.slice(0, MAX_UNMASK_ROWS)) {
    const row = table.insertRow();
    const char = step.value >= 0x20 && step.value < 0x7f ? String.fromCharCode(step.value) : "·";
    for (const text of [String(step.offset), hex(step.wire), `key[${step.keyIndex}] = ${hex(step.key)}`, hex(step.value), char]) row.insertCell().textContent = text;
  }
  if (steps.length > MAX_UNMASK_ROWS) {
    const row = table.insertRow();
    const cell = row.insertCell();
    cell.colSpan = 5;
    cell.textContent = `… and ${steps.length - MAX_UNMASK_ROWS} more bytes, unmasked the same way.`;
  }
}
