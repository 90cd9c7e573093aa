// Lesson 7's two columns, from the lab's answer (protocol/tls-twin-api.ts): what a watcher on
// the wire sees of the same conversation over ws:// (an HTTP upgrade and frames, all readable)
// and over wss:// (TLS records: a 5-byte header anyone can read, the hellos in the clear, then
// only application_data), with what each encrypted record really held, opened with the session's
// secrets. Frames found inside TLS are matched against the ws:// column's, byte for byte.
// Pure: the element writes the items into the DOM.
import { base64ToBytes, bytesToBase64 } from "../../protocol/base64.ts";
import { buildCaptureView, type CapturedFrame } from "../../protocol/capture.ts";
import { describeOpcode } from "../../protocol/opcodes.ts";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import { toHex } from "../../protocol/hex.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import {
  explainRecordHeader,
  handshakeMessages,
  parseHello,
  TLS_CONTENT_TYPES,
  TlsRecordReader,
  type TlsRecord,
} from "../../protocol/tls-records.ts";
import type { TlsTwinRun, TwinChunk } from "../../protocol/tls-twin-api.ts";
import { shortHex } from "../shared/short-hex.ts";
import { payloadPreview } from "../shared/payload-preview.ts";

export interface TwinItem {
  dir: "in" | "out";
  t: number;
  title: string;
  hex: string;
  lines: string[];
  /** For a frame found inside TLS: true when the ws:// column has the very same bytes. */
  same?: boolean;
  /** A TLS record's bytes, header included, for its byte-by-byte view (protocol/tls-dissect.ts). */
  record?: Uint8Array;
}

/** The answer was checked (parseTlsTwinRun), so its base64 is valid. */
export const fromBase64 = (data: string): Uint8Array => base64ToBytes(data) ?? new Uint8Array(0);

const HEAD_END = [13, 10, 13, 10];

function headEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) if (HEAD_END.every((b, k) => bytes[i + k] === b)) return i + 4;
  return -1;
}

/** The ws:// twin as tap events (its heads split off), so the page's own CaptureBuilder reads it. */
export function wsTapEvents(run: TlsTwinRun): TapEvent[] {
  const events: TapEvent[] = [];
  const tuple = run.ws.tuple ?? {
    clientAddress: "127.0.0.1",
    clientPort: 0,
    serverAddress: "127.0.0.1",
    serverPort: 0,
  };
  events.push({ type: "open", t: run.ws.chunks[0]?.t ?? 0, specimen: 1, path: "/lab/echo", tuple });
  const headDone = { in: false, out: false };
  const pendingHead = { in: new Uint8Array(0), out: new Uint8Array(0) };
  for (const chunk of run.ws.chunks) {
    let bytes = fromBase64(chunk.data);
    let offset = chunk.offset;
    if (!headDone[chunk.dir]) {
      const joined = new Uint8Array(pendingHead[chunk.dir].length + bytes.length);
      joined.set(pendingHead[chunk.dir]);
      joined.set(bytes, pendingHead[chunk.dir].length);
      const end = headEnd(joined);
      if (end < 0) {
        pendingHead[chunk.dir] = joined;
        continue;
      }
      headDone[chunk.dir] = true;
      const head = joined.slice(0, end);
      events.push({
        type: chunk.dir === "in" ? "request" : "response",
        t: chunk.t,
        specimen: 1,
        offset: 0,
        data: bytesToBase64(head),
      } as TapEvent);
      bytes = joined.slice(end);
      offset = end;
      if (bytes.length === 0) continue;
    }
    events.push({
      type: "chunk",
      t: chunk.t,
      specimen: 1,
      dir: chunk.dir,
      offset,
      length: bytes.length,
      data: bytesToBase64(bytes),
    });
  }
  return events;
}

function frameLines(f: CapturedFrame): string[] {
  const { frame } = f;
  const fields = [
    `FIN ${frame.fin ? 1 : 0}`,
    `opcode 0x${frame.opcode.toString(16)} ${describeOpcode(frame.opcode).name}`,
    `MASK ${frame.masked ? 1 : 0}`,
  ];
  if (frame.maskingKey) fields.push(`key ${toHex(frame.maskingKey)}`);
  fields.push(`payload ${frame.payloadLength} bytes: ${payloadPreview(f, 40)}`);
  return [fields.join(" · ")];
}

export function wsItems(run: TlsTwinRun): TwinItem[] {
  const view = buildCaptureView(wsTapEvents(run));
  const items: TwinItem[] = [];
  for (const head of [view.request, view.response]) {
    if (!head) continue;
    const firstLine = head.text.split("\r\n")[0] ?? "";
    const isRequest = head === view.request;
    items.push({
      dir: isRequest ? "in" : "out",
      t: head.t,
      title: isRequest ? "The upgrade request, in plain text" : "The 101 response, in plain text",
      hex: shortHex(head.bytes, 16),
      lines: [
        firstLine,
        ...head.text
          .split("\r\n")
          .slice(1)
          .filter((l) => /^(host|origin|upgrade|sec-websocket-accept|cookie):/i.test(l)),
      ],
    });
  }
  for (const f of view.frames)
    items.push({
      dir: f.dir,
      t: f.t,
      title: `${describeOpcode(f.frame.opcode).name} frame`,
      hex: shortHex(f.frame.raw, 24),
      lines: frameLines(f),
    });
  return items.sort((a, b) => a.t - b.t);
}

/** The ws:// column's frames, as hex, for matching what TLS carried. */
export function wsFrameHexes(run: TlsTwinRun): Set<string> {
  return new Set(buildCaptureView(wsTapEvents(run)).frames.map((f) => toHex(f.frame.raw)));
}

interface TimedRecord extends TlsRecord {
  t: number;
  dir: "in" | "out";
}

function recordsOf(chunks: readonly TwinChunk[], dir: "in" | "out"): TimedRecord[] {
  const reader = new TlsRecordReader();
  const out: TimedRecord[] = [];
  for (const chunk of chunks) {
    if (chunk.dir !== dir) continue;
    const read = reader.push(fromBase64(chunk.data));
    for (const record of read.records) out.push({ ...record, t: chunk.t, dir });
    if (!read.ok) break;
  }
  return out;
}

function innerLines(innerType: number, plaintext: Uint8Array, known: Set<string>): { lines: string[]; same?: boolean } {
  const typeName = TLS_CONTENT_TYPES[innerType] ?? String(innerType);
  if (innerType === 22) {
    const names = handshakeMessages(plaintext).map((m) => m.name);
    return {
      lines: [
        `Inside, hidden: ${typeName}: ${names.join(", ")}${names.includes("Certificate") ? " (in TLS 1.3 even the certificate is encrypted, RFC 8446 §4.4.2)" : ""}.`,
      ],
    };
  }
  if (innerType === 21) {
    const what = plaintext[1] === 0 ? "close_notify: the TLS connection ends (RFC 8446 §6.1)" : `alert ${plaintext[1]}`;
    return { lines: [`Inside, hidden: an alert, ${what}.`] };
  }
  const text = new TextDecoder().decode(plaintext.subarray(0, 40));
  if (/^(GET |HTTP\/1\.1 )/.test(text))
    return {
      lines: [
        `Inside, hidden: application data, the HTTP upgrade: “${text.split("\r\n")[0]}”, the same text the ws:// column shows in the clear.`,
      ],
    };
  const frames = new FrameDecoder().push(plaintext).flatMap((e) => (e.kind === "frame" ? [e.frame] : []));
  if (frames.length === 0) return { lines: [`Inside, hidden: application data, ${plaintext.length} bytes.`] };
  const hexes = frames.map((f) => toHex(f.raw));
  const same = hexes.every((h) => known.has(h));
  return {
    lines: frames.map(
      (f, i) =>
        `Inside, hidden: a WebSocket ${describeOpcode(f.opcode).name} frame: ${shortHex(f.raw, 24)}${known.has(hexes[i]!) ? " — the same bytes as the ws:// column" : ""}.`,
    ),
    same,
  };
}

export function wssItems(run: TlsTwinRun): TwinItem[] {
  const known = wsFrameHexes(run);
  const decrypted = new Map(run.wss.decrypted.map((d) => [`${d.dir}:${d.offset}`, d]));
  const records = [...recordsOf(run.wss.chunks, "in"), ...recordsOf(run.wss.chunks, "out")].sort(
    (a, b) => a.t - b.t || (a.dir === b.dir ? a.offset - b.offset : 0),
  );
  return records.map((record) => {
    const content = record.bytes.subarray(5);
    const type = TLS_CONTENT_TYPES[record.contentType] ?? String(record.contentType);
    const lines = explainRecordHeader(record);
    let title = `${type} record`;
    let same: boolean | undefined;
    if (record.contentType === 22) {
      const hello = parseHello(content);
      title = `handshake record: ${handshakeMessages(content)
        .map((m) => m.name)
        .join(", ")}, in the clear`;
      if (hello?.serverName)
        lines.push(`Server name (SNI), readable by anyone on the way: ${hello.serverName} (RFC 6066 §3).`);
      if (hello && hello.versions.length > 0)
        lines.push(
          `${hello.kind === "ClientHello" ? "Versions offered" : "Version chosen"}: ${hello.versions.join(", ")} (RFC 8446 §4.2.1).`,
        );
      if (hello)
        lines.push(
          `${hello.kind === "ClientHello" ? "Cipher suites offered" : "Cipher suite chosen"}: ${hello.cipherSuites.join(", ")}.`,
        );
    } else if (record.contentType === 20) {
      title = "change_cipher_spec record, for old middleboxes only (RFC 8446 Appendix D.4)";
    } else if (record.contentType === 23) {
      const opened = decrypted.get(`${record.dir}:${record.offset}`);
      if (opened) {
        const inner = innerLines(opened.innerType, fromBase64(opened.data), known);
        lines.push(...inner.lines);
        same = inner.same;
      } else lines.push("Inside: not decrypted.");
    }
    return {
      dir: record.dir,
      t: record.t,
      title,
      hex: `${toHex(record.bytes.subarray(0, 5))} + ${record.length} bytes`,
      lines,
      record: record.bytes,
      ...(same === undefined ? {} : { same }),
    };
  });
}

export interface TwinTotals {
  ws: { in: number; out: number };
  wss: { in: number; out: number };
  /** How many more bytes the wss:// twin put on the wire, both ways. */
  extraBytes: number;
  records: number;
}

export function twinTotals(run: TlsTwinRun): TwinTotals {
  const sum = (chunks: readonly TwinChunk[], dir: "in" | "out"): number =>
    chunks.filter((c) => c.dir === dir).reduce((n, c) => n + c.length, 0);
  const ws = { in: sum(run.ws.chunks, "in"), out: sum(run.ws.chunks, "out") };
  const wss = { in: sum(run.wss.chunks, "in"), out: sum(run.wss.chunks, "out") };
  const records = recordsOf(run.wss.chunks, "in").length + recordsOf(run.wss.chunks, "out").length;
  return { ws, wss, extraBytes: wss.in + wss.out - ws.in - ws.out, records };
}
