// A frame taken apart for a reader (RFC 6455 §5.2): one field for every bit of every byte, in
// wire order, each with its name, position, raw value, meaning and section. Sub-byte fields
// (FIN, RSV1–3, opcode, MASK, the 7-bit length) share their byte; multi-byte fields (the
// extended length, masking key, payload, a close frame's code and reason) cover whole bytes.
// Bit positions count from the most significant bit of the frame's first byte, as in the
// diagram of §5.2. Dissection never refuses: a frame that breaks a rule is still taken apart,
// with the broken rules listed in `problems`; bytes past the end of this frame are left alone.
//
// What a field means is told as `facts`: short sentences, one fact each, each with the section
// that states it, so a page can show them one per line on a phone; `meaning` is the same facts
// as one paragraph. Every number in them is read from the bytes.

import type { ByteField } from "./byte-field.ts";
import { describeCloseCode } from "./close-codes.ts";
import { parseClosePayload } from "./close-payload.ts";
import type { ClosePayload } from "./close-payload.ts";
import { decodeFrame } from "./frame-decode.ts";
import { frameError, INVALID_PAYLOAD } from "./frame-error.ts";
import type { FrameError } from "./frame-error.ts";
import type { FrameRules, LengthForm } from "./frame-types.ts";
import { applyMask } from "./mask.ts";
import { describeOpcode, OPCODE } from "./opcodes.ts";
import { checkUtf8 } from "./utf8.ts";

export type FrameFieldId =
  | "fin"
  | "rsv1"
  | "rsv2"
  | "rsv3"
  | "opcode"
  | "mask"
  | "payload-length"
  | "extended-payload-length"
  | "masking-key"
  | "payload"
  | "close-code"
  | "close-reason";

/** One thing a field's bits say, or one rule about them, with the section that says so. */
export interface FieldFact {
  text: string;
  rfc: string;
}

export interface FrameField extends ByteField<FrameFieldId> {
  /** The wire bytes the field touches (for a sub-byte field, its whole byte). */
  bytes: Uint8Array;
  /** What the field says, one fact a sentence, in the order a reader needs them. */
  facts: FieldFact[];
}

const RFC = "RFC 6455";
const fact = (text: string, section: string): FieldFact => ({
  text,
  rfc: section.startsWith("§") ? `${RFC} ${section}` : section,
});
/** "a text message (or its first fragment); the whole message must be valid UTF-8" → one sentence per clause. */
const sentences = (clauses: string): string[] =>
  clauses.split("; ").map((c) => `${c.charAt(0).toUpperCase()}${c.slice(1)}${/[.!?]$/.test(c) ? "" : "."}`);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** How one masked payload byte becomes application data (RFC 6455 §5.3). */
export interface UnmaskStep {
  /** Offset of the byte in the frame. */
  offset: number;
  /** The byte on the wire. */
  wire: number;
  /** i mod 4: which key byte is used. */
  keyIndex: number;
  key: number;
  /** wire XOR key: the application's byte. */
  value: number;
}

export interface FrameDissection {
  fields: FrameField[];
  /** Bytes of the input that belong to this frame (the rest would start the next frame). */
  length: number;
  /** The frame's full length, once the header says it; null while the length is still unknown. */
  frameLength: number | null;
  complete: boolean;
  /** More bytes needed to finish the frame (at least this many while the header is incomplete). */
  needed: number;
  fin: boolean | null;
  opcode: number | null;
  masked: boolean | null;
  lengthForm: LengthForm | null;
  /** Null until the bytes that hold it have arrived. */
  payloadLength: number | null;
  /** Known from byte 1 on (it depends on the length form and the MASK bit). */
  headerLength: number | null;
  maskingKey: Uint8Array | null;
  /** The payload bytes present, as on the wire and after unmasking (equal when unmasked). */
  wirePayload: Uint8Array;
  payload: Uint8Array;
  /** For a masked frame, every payload byte present with the key byte it was XORed with. */
  unmaskSteps: UnmaskStep[];
  /** Decoded text of a text frame, up to the last whole character present; null otherwise. */
  text: string | null;
  close: ClosePayload | null;
  /** Rules this frame breaks (empty when it is fine), with offsets within the frame. */
  problems: FrameError[];
}

export function dissectFrame(bytes: Uint8Array, rules: FrameRules = {}): FrameDissection {
  const d: FrameDissection = {
    fields: [],
    length: 0,
    frameLength: null,
    complete: false,
    needed: 2 - Math.min(bytes.length, 2),
    fin: null,
    opcode: null,
    masked: null,
    lengthForm: null,
    payloadLength: null,
    headerLength: null,
    maskingKey: null,
    wirePayload: new Uint8Array(0),
    payload: new Uint8Array(0),
    unmaskSteps: [],
    text: null,
    close: null,
    problems: [],
  };
  const n = bytes.length;
  if (n === 0) return d;
  const field = (
    id: FrameFieldId,
    name: string,
    byteStart: number,
    byteEnd: number,
    bitStart: number,
    bitLength: number,
    value: number | null,
    facts: FieldFact[],
    rfc: string,
    complete = true,
  ): void => {
    const meaning = facts.map((f) => f.text).join(" ");
    d.fields.push({
      id,
      name,
      byteStart,
      byteEnd,
      bitStart,
      bitLength,
      value,
      bytes: bytes.subarray(byteStart, byteEnd),
      meaning,
      facts,
      rfc,
      complete,
    });
  };

  const b0 = bytes[0]!;
  const fin = (b0 & 0x80) !== 0;
  const opcode = b0 & 0x0f;
  const op = describeOpcode(opcode);
  d.fin = fin;
  d.opcode = opcode;
  field(
    "fin",
    "FIN",
    0,
    1,
    0,
    1,
    fin ? 1 : 0,
    fin
      ? [fact("This frame ends its message, or is the whole message.", "§5.2")]
      : [
          fact("More fragments of this message follow.", "§5.2"),
          fact("They come in continuation frames (opcode 0x0).", "§5.4"),
        ],
    "RFC 6455 §5.2, §5.4",
  );
  for (const [i, id] of (["rsv1", "rsv2", "rsv3"] as const).entries()) {
    const set = (b0 & (0x40 >> i)) !== 0;
    const allowed = rules.allowRsv?.[id] === true;
    field(
      id,
      id.toUpperCase(),
      0,
      1,
      1 + i,
      1,
      set ? 1 : 0,
      !set
        ? [fact("Not set: the RSV bits are reserved for extensions.", "§5.2")]
        : allowed
          ? [fact("Set: an extension negotiated in the handshake gives it a meaning.", "§5.2")]
          : [
              fact("Set, but no extension was negotiated to give it a meaning.", "§5.2"),
              fact("So the receiver must fail the connection.", "§5.2"),
            ],
      "RFC 6455 §5.2",
    );
  }
  const [opFirst = "", ...opRest] = sentences(op.meaning);
  field(
    "opcode",
    "opcode",
    0,
    1,
    4,
    4,
    opcode,
    [
      fact(`0x${opcode.toString(16)}, ${op.name}: ${opFirst.charAt(0).toLowerCase()}${opFirst.slice(1)}`, op.rfc),
      ...opRest.map((text) => fact(text, op.rfc)),
    ],
    op.rfc,
  );
  d.length = 1;
  if (n < 2) {
    // The first byte alone can already break a rule (a reserved opcode, an RSV bit, a fragmented
    // control frame); a receiver fails the connection as soon as it has read it.
    addProblems(d, bytes.subarray(0, 1), rules);
    return d;
  }

  const b1 = bytes[1]!;
  const masked = (b1 & 0x80) !== 0;
  const len7 = b1 & 0x7f;
  d.masked = masked;
  field(
    "mask",
    "MASK",
    1,
    2,
    8,
    1,
    masked ? 1 : 0,
    masked
      ? [
          fact("The payload is masked.", "§5.2"),
          fact("The 4-byte masking key follows the length.", "§5.2"),
          fact("A client masks every frame it sends.", "§5.1"),
        ]
      : [
          fact("The payload is sent as is, not masked.", "§5.2"),
          fact("A server never masks the frames it sends.", "§5.1"),
        ],
    "RFC 6455 §5.1, §5.3",
  );
  const extended = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
  field(
    "payload-length",
    "payload length",
    1,
    2,
    9,
    7,
    len7,
    len7 === 126
      ? [
          fact("126: the length is in the next 2 bytes.", "§5.2"),
          fact("That 16-bit form is for 126 to 65535 bytes.", "§5.2"),
        ]
      : len7 === 127
        ? [
            fact("127: the length is in the next 8 bytes.", "§5.2"),
            fact("That 64-bit form is for 65536 bytes and more.", "§5.2"),
          ]
        : [
            fact(`The payload is ${plural(len7, "byte")} long.`, "§5.2"),
            fact("Lengths 0 to 125 fit in these 7 bits.", "§5.2"),
          ],
    "RFC 6455 §5.2",
  );
  d.length = 2;

  const headerLength = 2 + extended + (masked ? 4 : 0);
  let payloadLength: number | null = len7;
  d.lengthForm = extended === 2 ? "16-bit" : extended === 8 ? "64-bit" : "7-bit";
  if (extended) payloadLength = null;
  if (extended && n > 2) {
    const end = Math.min(n, 2 + extended);
    const complete = end === 2 + extended;
    let value: number | null = null;
    const facts = [fact(`Incomplete: ${end - 2} of ${extended} bytes present.`, "§5.2")];
    if (complete) {
      value = 0;
      for (let i = 2; i < end; i++) value = value * 256 + bytes[i]!;
      facts[0] = fact(`The payload is ${plural(value, "byte")} long.`, "§5.2");
      facts.push(fact(`A ${extended * 8}-bit number, most significant byte first.`, "§5.2"));
      if (extended === 2 && value < 126)
        facts.push(fact("Not allowed: lengths under 126 must use the 7-bit field.", "§5.2"));
      if (extended === 8 && bytes[2]! & 0x80)
        facts.push(fact("Not allowed: the most significant bit must be 0.", "§5.2"));
      else if (extended === 8 && value <= 0xffff)
        facts.push(fact("Not allowed: lengths up to 65535 must use a shorter form.", "§5.2"));
    }
    payloadLength = value;
    field(
      "extended-payload-length",
      `extended payload length (${extended * 8}-bit)`,
      2,
      end,
      16,
      (end - 2) * 8,
      value,
      facts,
      "RFC 6455 §5.2",
      complete,
    );
    d.length = end;
  }
  if (masked && n > 2 + extended) {
    const start = 2 + extended;
    const end = Math.min(n, start + 4);
    const complete = end === start + 4;
    const key = bytes.subarray(start, end);
    let value = 0;
    for (const b of key) value = value * 256 + b;
    field(
      "masking-key",
      "masking key",
      start,
      end,
      start * 8,
      (end - start) * 8,
      complete ? value : null,
      complete
        ? [
            fact("The client chose these 4 bytes at random for this frame.", "§5.3"),
            fact("Payload byte i is XORed with key byte i mod 4.", "§5.3"),
            fact("Masking keeps proxies' caches from being poisoned.", "§10.3"),
            fact("It is not encryption: the key travels in the frame.", "§5.2"),
          ]
        : [fact(`Incomplete: ${end - start} of 4 key bytes present.`, "§5.3")],
      "RFC 6455 §5.3",
      complete,
    );
    if (complete) d.maskingKey = bytes.slice(start, end);
    d.length = end;
  }
  d.headerLength = headerLength;
  d.payloadLength = payloadLength;
  d.frameLength = payloadLength === null ? null : headerLength + payloadLength;
  if (payloadLength === null || d.frameLength === null || n < headerLength) {
    d.needed = (d.frameLength ?? headerLength) - n;
    addProblems(d, bytes.subarray(0, d.length), rules);
    return d;
  }

  const end = Math.min(n, d.frameLength);
  d.length = end;
  d.complete = end === d.frameLength;
  d.needed = d.frameLength - end;
  d.wirePayload = bytes.slice(headerLength, end);
  d.payload = d.maskingKey ? applyMask(d.wirePayload, d.maskingKey) : d.wirePayload;
  if (d.maskingKey) {
    const key = d.maskingKey;
    d.unmaskSteps = Array.from(d.wirePayload, (wire, i) => ({
      offset: headerLength + i,
      wire,
      keyIndex: i & 3,
      key: key[i & 3]!,
      value: wire ^ key[i & 3]!,
    }));
  }
  // How the payload travels, when it is masked: its bytes on the wire are not the data.
  const where = d.maskingKey ? [fact("Masked on the wire with the key before it.", "§5.3")] : [];
  if (opcode === OPCODE.close && payloadLength >= 2 && end > headerLength) {
    const codeEnd = Math.min(end, headerLength + 2);
    const codeComplete = codeEnd === headerLength + 2;
    const code = codeComplete ? (d.payload[0]! << 8) | d.payload[1]! : null;
    const info = code === null ? null : describeCloseCode(code);
    const codeFacts = info
      ? [
          fact(`${code}, ${info.name}.`, info.rfc),
          ...sentences(info.meaning).map((text) => fact(text, info.rfc)),
          ...(info.allowedOnWire ? [] : [fact("This code may not be sent in a close frame.", "§7.4.1")]),
          fact("A close body starts with its 2-byte code.", "§5.5.1"),
        ]
      : [fact("Incomplete: a close code is 2 bytes.", "§5.5.1")];
    field(
      "close-code",
      "close code",
      headerLength,
      codeEnd,
      headerLength * 8,
      (codeEnd - headerLength) * 8,
      code,
      [...codeFacts, ...where],
      info?.rfc ?? "RFC 6455 §5.5.1",
      codeComplete,
    );
    if (end > codeEnd) {
      field(
        "close-reason",
        "close reason",
        codeEnd,
        end,
        codeEnd * 8,
        (end - codeEnd) * 8,
        null,
        [
          fact(`${plural(end - codeEnd, "byte")} of UTF-8 text.`, "§5.5.1"),
          fact("They say why the connection closes.", "§5.5.1"),
          ...where,
        ],
        "RFC 6455 §5.5.1",
        d.complete,
      );
    }
  } else if (payloadLength > 0 && end > headerLength) {
    field(
      "payload",
      "payload",
      headerLength,
      end,
      headerLength * 8,
      (end - headerLength) * 8,
      null,
      payloadFacts(opcode, payloadLength, where),
      payloadRfc(opcode),
      d.complete,
    );
  }
  if (opcode === OPCODE.text) {
    const check = checkUtf8(d.payload, false);
    if (check.ok) d.text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(d.payload, { stream: true });
  }
  if (opcode === OPCODE.close && d.complete) {
    const close = parseClosePayload(d.payload);
    if (close.ok) d.close = { code: close.code, reason: close.reason };
  }
  addProblems(d, bytes.subarray(0, end), rules);
  return d;
}

/** The rules a peer would enforce on this frame alone, plus UTF-8 for a text frame. */
function addProblems(d: FrameDissection, frameBytes: Uint8Array, rules: FrameRules): void {
  const result = decodeFrame(frameBytes, rules);
  if (result.kind === "error") {
    d.problems.push(result.error);
    return;
  }
  if (d.opcode === OPCODE.text && d.headerLength !== null) {
    // A text frame alone is judged as a whole message when FIN = 1, as a prefix otherwise.
    const check = checkUtf8(d.payload, d.complete && d.fin === true);
    if (!check.ok) {
      d.problems.push(
        frameError(
          "text-invalid-utf8",
          `the text is not valid UTF-8: ${check.error}`,
          d.headerLength + check.index,
          "RFC 6455 §8.1",
          INVALID_PAYLOAD,
        ),
      );
    }
  }
}

function payloadFacts(opcode: number, length: number, where: FieldFact[]): FieldFact[] {
  const size = plural(length, "byte");
  const what = ((): FieldFact[] => {
    switch (opcode) {
      case OPCODE.text:
        return [fact(`${size} of UTF-8 text.`, "§5.6")];
      case OPCODE.binary:
        return [fact(`${size} of binary data.`, "§5.6"), fact("Only the application knows what they mean.", "§5.6")];
      case OPCODE.continuation:
        return [fact(`${size} continuing the message an earlier frame started.`, "§5.4")];
      case OPCODE.close:
        return [
          fact(`${size} of close body.`, "§5.5.1"),
          fact("A close body is empty or at least 2 bytes: 1 byte is invalid.", "§5.5.1"),
        ];
      case OPCODE.ping:
        return [
          fact(`${size} of application data.`, "§5.5.2"),
          fact("The pong must carry the same bytes back.", "§5.5.3"),
        ];
      case OPCODE.pong:
        return [fact(`${size} echoing the ping's payload.`, "§5.5.3")];
      default:
        return [fact(`${size} of payload for a reserved opcode.`, "§5.2")];
    }
  })();
  return [...what, ...where];
}

function payloadRfc(opcode: number): string {
  if (opcode === OPCODE.ping) return "RFC 6455 §5.5.2";
  if (opcode === OPCODE.pong) return "RFC 6455 §5.5.3";
  if (opcode === OPCODE.close) return "RFC 6455 §5.5.1";
  return "RFC 6455 §5.6";
}
