// The notes beside wire bytes, one short line each, so they read on a phone (390 px) as well as
// on a projector: the byte itself, then each field it holds (name, where its bits are, the value
// they hold), then what the field says, one fact a line with the section that states it. The
// facts come from the dissector, computed from the bytes (protocol/frame-dissect.ts gives every
// frame field its `facts`); a field that has only a `meaning` (a TLS record's) gets it as one line.
//
// Pure: note-lines-view.ts writes the lines into the page.
import type { ByteField } from "../../protocol/byte-field.ts";

export interface NoteFact {
  text: string;
  rfc: string;
}

/** A field as a dissector reports it, told fact by fact when the dissector does. */
export type NotedField = ByteField & { readonly facts?: readonly NoteFact[] };

export interface NoteLine {
  /** "byte": the byte itself; "field": a field it holds; "fact": what that field says. */
  kind: "byte" | "field" | "fact";
  text: string;
  /** The section that states a fact ("" for the other lines). */
  rfc: string;
}

const hex = (n: number): string => n.toString(16).padStart(2, "0");

/** Eight bits in two groups of four, as the frame diagram of RFC 6455 §5.2 is read: "1000 0101". */
const bits = (b: number): string => {
  const all = b.toString(2).padStart(8, "0");
  return `${all.slice(0, 4)} ${all.slice(4)}`;
};

const range = (first: number, last: number, one: string, many: string): string =>
  first === last ? `${one} ${first}` : `${many} ${first}–${last}`;

/** Where a field's bits sit inside the byte they share, or which bytes a whole-byte field covers. */
function place(field: ByteField): { inByte: string; inFrame: string } {
  if (field.bitLength % 8 === 0 && field.bitStart % 8 === 0) {
    const bytes = range(field.byteStart, field.byteEnd - 1, "byte", "bytes");
    return { inByte: bytes, inFrame: bytes };
  }
  const first = field.bitStart % 8;
  const inByte = range(first, first + field.bitLength - 1, "bit", "bits");
  return { inByte, inFrame: `byte ${field.byteStart}, ${inByte}` };
}

/**
 * The value the bits hold, when a number says something at a glance: a sub-byte field or a
 * field of one or two bytes. A wider number (a masking key, a 64-bit length) means little in
 * decimal; its facts say what matters about it.
 */
function shownValue(field: ByteField): string {
  if (field.value === null) return "";
  return field.byteEnd - field.byteStart <= 2 ? ` = ${field.value}` : "";
}

function factsOf(field: NotedField): NoteLine[] {
  const facts = field.facts ?? [{ text: field.meaning, rfc: field.rfc }];
  return facts.map((f) => ({ kind: "fact", text: f.text, rfc: f.rfc }));
}

/** The fields that hold byte `index`. */
function fieldsAt<F extends ByteField>(fields: readonly F[], index: number): F[] {
  return fields.filter((f) => index >= f.byteStart && index < f.byteEnd);
}

/** The notes for byte `index` of `raw`: the byte, then each field it holds with its facts. */
export function byteNoteLines(fields: readonly NotedField[], raw: Uint8Array, index: number): NoteLine[] {
  const b = raw[index];
  if (b === undefined) return [];
  const lines: NoteLine[] = [{ kind: "byte", text: `Byte ${index}: 0x${hex(b)} = ${bits(b)}`, rfc: "" }];
  for (const field of fieldsAt(fields, index)) {
    lines.push({ kind: "field", text: `${field.name}: ${place(field).inByte}${shownValue(field)}`, rfc: "" });
    lines.push(...factsOf(field));
  }
  return lines;
}

/** The notes for one field in the list of all of a frame's fields: where it sits, then its facts. */
export function fieldNoteLines(field: NotedField): NoteLine[] {
  return [
    { kind: "field", text: `${field.name}: ${place(field).inFrame}${shownValue(field)}`, rfc: "" },
    ...factsOf(field),
  ];
}
