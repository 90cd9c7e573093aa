// A masked frame's payload unmasked byte by byte with the key the browser chose (RFC 6455 §5.3),
// and the colour each frame field gets in the byte grid (../shared/byte-grid.ts).
import type { FrameDissection } from "../../protocol/frame-dissect.ts";
import type { GridField } from "../shared/byte-grid.ts";

export const MAX_UNMASK_ROWS = 24;

const hex = (n: number): string => n.toString(16).padStart(2, "0");

const FRAME_FIELD_CLASS: Record<string, string> = {
  fin: "f-flags", rsv1: "f-flags", rsv2: "f-flags", rsv3: "f-flags", opcode: "f-flags",
  mask: "f-length", "payload-length": "f-length", "extended-payload-length": "f-ext",
  "masking-key": "f-key", payload: "f-payload", "close-code": "f-payload", "close-reason": "f-payload",
};

export const frameFieldClass = (field: GridField): string => FRAME_FIELD_CLASS[field.id] ?? "f-payload";

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
