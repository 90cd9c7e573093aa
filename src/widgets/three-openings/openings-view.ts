// What lesson 9's three columns show, as data (no DOM): the model's units for each version
// (protocol/websocket-openings.ts), each paired with what really crossed the wire where there is a
// capture. HTTP/1.1: the reader's own connection, from the lab's tap. HTTP/2: the lab's own
// client over extended CONNECT, from POST /lab/h2-twin. HTTP/3: the model alone, a simulation.
// A unit the capture cannot see (TCP's handshake happens in the kernels) says so; a live unit the
// model leaves out (a WINDOW_UPDATE, say) is shown too, as what it is.
import { base64ToBytes } from "../../protocol/base64.ts";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import type { H2TwinSide } from "../../protocol/h2-twin-api.ts";
import { HpackDecoder } from "../../protocol/hpack.ts";
import { HTTP2_FRAME_TYPES, Http2FrameReader, type Http2Frame } from "../../protocol/http2-frames.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { toHex } from "../../protocol/hex.ts";
import {
  fieldLines,
  openingUnits,
  unitTimes,
  type Conversation,
  type HttpVersion,
  type OpeningUnit,
  type Phase,
  type Sender,
} from "../../protocol/websocket-openings.ts";
import { formatMs } from "../shared/format-ms.ts";
import { hideWatchToken } from "../shared/hide-watch-token.ts";

/** Where a row's bytes come from. */
export type RowSource = "seen" | "unseen" | "simulated" | "extra" | "expected";

export interface OpeningRow {
  phase: Phase;
  from: Sender;
  title: string;
  source: RowSource;
  /** "+1.2 ms" for what was seen; "at 1.5 round trips" for the model. */
  at: string;
  /** HTTP/1.1 heads and header lists, as text. */
  text?: string;
  /** The bytes as hex, at most PREVIEW_BYTES of them. */
  hex?: string;
  byteCount?: number;
  /** The WebSocket frame inside, as hex: what the three columns share. */
  websocketHex?: string;
  /** An HTTP/2 frame's header, field by field. */
  header?: string;
  lines: string[];
  rfc: string;
}

/** Bytes shown per row: a frame header and the start of a message; the count says the rest. */
export const PREVIEW_BYTES = 32;

const preview = (bytes: Uint8Array): string =>
  toHex(bytes.subarray(0, PREVIEW_BYTES)) + (bytes.length > PREVIEW_BYTES ? " …" : "");
const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** Something that really crossed, keyed to the model unit it can stand for. */
export interface LiveItem {
  from: Sender;
  key: string;
  /** ms since the connection's first captured byte. */
  at: number;
  title: string;
  bytes: Uint8Array;
  text?: string;
  /** An HTTP/2 frame's 9-byte header, field by field (RFC 9113 §4.1). */
  header?: string;
  websocket?: Uint8Array;
  lines: string[];
  rfc: string;
}

const OPCODE_NAMES: Readonly<Record<number, string>> = {
  0x1: "Text frame",
  0x2: "Binary frame",
  0x8: "Close frame",
  0x9: "Ping frame",
  0xa: "Pong frame",
};

/** The reader's own HTTP/1.1 connection, from the tap's events for it. */
export function liveHttp1Items(events: readonly TapEvent[]): LiveItem[] {
  // The tap may report the request before it reports the connection open: time runs from the earliest.
  const start = Math.min(...events.flatMap((e) => ("t" in e ? [e.t] : [])));
  const items: LiveItem[] = [];
  const decoders = {
    in: new FrameDecoder({ direction: "client-to-server" }),
    out: new FrameDecoder({ direction: "server-to-client" }),
  };
  for (const event of events) {
    if (event.type === "request" || event.type === "response") {
      const bytes = base64ToBytes(event.data) ?? new Uint8Array(0);
      const text = hideWatchToken(latin1(bytes));
      items.push({
        from: event.type === "request" ? "client" : "server",
        key: event.type,
        at: event.t - start,
        title: text.split("\r\n")[0] ?? "",
        bytes,
        text,
        lines: [],
        rfc: event.type === "request" ? "RFC 6455 §4.1" : "RFC 6455 §4.2.2",
      });
    }
    if (event.type === "chunk" && event.data !== undefined) {
      const from: Sender = event.dir === "in" ? "client" : "server";
      for (const decoded of decoders[event.dir].push(base64ToBytes(event.data) ?? new Uint8Array(0))) {
        if (decoded.kind !== "frame") continue;
        const { frame } = decoded;
        const name = OPCODE_NAMES[frame.opcode] ?? `Frame, opcode ${frame.opcode}`;
        items.push({
          from,
          key: `ws:${frame.opcode}`,
          at: event.t - start,
          title: `${name}${frame.masked ? " (masked)" : ""}, ${frame.payload.length} bytes of payload`,
          bytes: frame.raw,
          websocket: frame.raw,
          lines: [],
          rfc: "RFC 6455 §5.2",
        });
      }
    }
  }
  return items;
}

function http2Key(frame: Http2Frame): string {
  if (frame.typeName === "SETTINGS") return frame.flagNames.includes("ACK") ? "SETTINGS ACK" : "SETTINGS";
  if (
    frame.typeName === "DATA" &&
    frame.detail.kind === "data" &&
    frame.detail.data.length === 0 &&
    frame.flagNames.includes("END_STREAM")
  )
    return "END_STREAM";
  return frame.typeName;
}

function http2Title(frame: Http2Frame, fields: string | null): string {
  const stream = frame.streamId === 0 ? "" : ` (stream ${frame.streamId})`;
  const flags = frame.flagNames.length > 0 ? ` [${frame.flagNames.join(", ")}]` : "";
  if (frame.detail.kind === "settings")
    return `${frame.typeName}${flags}${frame.detail.settings.length ? `: ${frame.detail.settings.map((s) => `${s.name} = ${s.value}`).join(", ")}` : ""}`;
  if (fields !== null) return `${frame.typeName}${stream}${flags}`;
  return `${frame.typeName}${stream}${flags}, ${frame.length} bytes of payload`;
}

/** The 9-byte frame header in words: the bytes, then length, type, flags and stream (RFC 9113 §4.1). */
export function http2Header(frame: Http2Frame): string {
  const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, "0")}`;
  const flags = frame.flagNames.length > 0 ? ` (${frame.flagNames.join(", ")})` : "";
  return `Frame header ${toHex(frame.raw.subarray(0, 9))}: length ${frame.length}, type ${hex2(frame.type)} ${frame.typeName}, flags ${hex2(frame.flags)}${flags}, stream ${frame.streamId}`;
}

/** The lab's HTTP/2 connection, frame by frame, with HEADERS decoded and the WebSocket frames inside DATA. */
export function liveHttp2Items(side: H2TwinSide): LiveItem[] {
  const start = side.chunks[0]?.t ?? 0;
  const readers = {
    in: new Http2FrameReader({ expectPreface: true }),
    out: new Http2FrameReader({ expectPreface: false }),
  };
  const hpack = { in: new HpackDecoder(), out: new HpackDecoder() };
  const inner = {
    in: new FrameDecoder({ direction: "client-to-server" }),
    out: new FrameDecoder({ direction: "server-to-client" }),
  };
  const items: LiveItem[] = [];
  for (const chunk of side.chunks) {
    const from: Sender = chunk.dir === "in" ? "client" : "server";
    for (const event of readers[chunk.dir].push(base64ToBytes(chunk.data) ?? new Uint8Array(0))) {
      if (event.kind === "preface") {
        items.push({
          from,
          key: "preface",
          at: chunk.t - start,
          title: "Connection preface",
          bytes: event.raw,
          text: JSON.stringify(latin1(event.raw)).slice(1, -1),
          lines: [],
          rfc: "RFC 9113 §3.4",
        });
        continue;
      }
      if (event.kind === "error") {
        items.push({
          from,
          key: "error",
          at: chunk.t - start,
          title: `Unreadable: ${event.error.error}`,
          bytes: new Uint8Array(0),
          lines: [],
          rfc: event.error.rfc,
        });
        continue;
      }
      const { frame } = event;
      let text: string | undefined;
      let websocket: Uint8Array | undefined;
      if (frame.typeName === "HEADERS" && frame.detail.kind === "field-block") {
        const decoded = hpack[chunk.dir].decode(frame.detail.block);
        text =
          decoded.fields.map((f) => `${f.name}: ${f.value}`).join("\n") +
          (decoded.ok ? "" : `\n(HPACK error: ${decoded.error.error})`);
      }
      if (frame.detail.kind === "data" && frame.detail.data.length > 0) {
        const frames = inner[chunk.dir]
          .push(frame.detail.data)
          .flatMap((e) => (e.kind === "frame" ? [e.frame.raw] : []));
        if (frames.length === 1) websocket = frames[0];
      }
      const known = HTTP2_FRAME_TYPES[frame.type];
      items.push({
        from,
        key: http2Key(frame),
        at: chunk.t - start,
        title: http2Title(frame, text ?? null),
        bytes: frame.raw,
        text,
        header: http2Header(frame),
        websocket,
        lines: [],
        rfc: known?.rfc ?? "RFC 9113 §4.1",
      });
    }
  }
  return items;
}

/** The capture key a model unit stands for; null when no capture here can see it. */
export function unitKey(version: HttpVersion, unit: OpeningUnit): string | null {
  if (unit.layer === "TCP" || unit.layer === "TLS" || unit.layer === "QUIC") return null;
  if (unit.websocket) return version === "http/1.1" ? `ws:${unit.websocket[0]! & 0x0f}` : "DATA";
  if (version === "http/1.1") return unit.id;
  if (unit.id === "preface") return "preface";
  if (unit.id.endsWith("settings-ack")) return "SETTINGS ACK";
  if (unit.id.endsWith("settings")) return "SETTINGS";
  if (unit.id === "request" || unit.id === "response") return "HEADERS";
  if (unit.id.endsWith("-end")) return "END_STREAM";
  return null;
}

const roundTrips = (n: number): string => `at ${n} round trip${n === 1 ? "" : "s"}`;

function modelRow(unit: OpeningUnit, source: RowSource, at: string): OpeningRow {
  const text =
    unit.bytes && unit.layer === "HTTP/1.1" ? latin1(unit.bytes) : unit.fields ? fieldLines(unit) : undefined;
  return {
    phase: unit.phase,
    from: unit.from,
    title: unit.title,
    source,
    at,
    text,
    hex: unit.bytes && unit.layer !== "HTTP/1.1" ? preview(unit.bytes) : undefined,
    byteCount: unit.bytes?.length,
    websocketHex: unit.websocket ? toHex(unit.websocket) : undefined,
    lines: unit.lines,
    rfc: unit.rfc,
  };
}

function liveRow(item: LiveItem, phase: Phase, unit: OpeningUnit | null): OpeningRow {
  const lines = unit
    ? unit.lines
    : [
        `Not in the model: ${item.key === "WINDOW_UPDATE" ? "flow control, which this client sends on its own" : "a frame this implementation sends on its own"}.`,
      ];
  return {
    phase,
    from: item.from,
    title: item.title,
    source: unit ? "seen" : "extra",
    at: `+${formatMs(item.at)}`,
    text: item.text,
    // HTTP/1.1 heads are their own text; anything else shows its bytes too.
    hex: item.key === "request" || item.key === "response" ? undefined : preview(item.bytes),
    header: item.header,
    byteCount: item.bytes.length,
    websocketHex: item.websocket ? toHex(item.websocket) : undefined,
    lines,
    rfc: unit?.rfc ?? item.rfc,
  };
}

/**
 * A column: the model's units in order, each shown with the live item it pairs with (same sender,
 * same key, in order). Live items the model leaves out are shown too, placed by when they came
 * among the rows that were seen, in the phase of the row they precede.
 */
export function columnRows(
  version: HttpVersion,
  conversation: Conversation,
  live: readonly LiveItem[] | null,
): OpeningRow[] {
  const units = openingUnits(version, conversation);
  const times = unitTimes(units);
  if (version === "h3") return units.map((u) => modelRow(u, "simulated", roundTrips(times.get(u.id)!.sent)));
  if (live === null) return units.map((u) => modelRow(u, "expected", roundTrips(times.get(u.id)!.sent)));
  const queues = {
    client: live.filter((item) => item.from === "client"),
    server: live.filter((item) => item.from === "server"),
  };
  const next: Record<Sender, number> = { client: 0, server: 0 };
  const rows: Array<{ row: OpeningRow; seenAt: number | null }> = [];
  const extras: LiveItem[] = [];
  for (const unit of units) {
    const key = unitKey(version, unit);
    if (key === null) {
      rows.push({ row: modelRow(unit, "unseen", `model: ${roundTrips(times.get(unit.id)!.sent)}`), seenAt: null });
      continue;
    }
    const items = queues[unit.from];
    const found = items.findIndex((item, i) => i >= next[unit.from] && item.key === key);
    if (found < 0) {
      rows.push({
        row: {
          ...modelRow(unit, "expected", "not seen"),
          lines: [...unit.lines, "This run's capture did not hold it."],
        },
        seenAt: null,
      });
      continue;
    }
    extras.push(...items.slice(next[unit.from], found));
    rows.push({ row: liveRow(items[found]!, unit.phase, unit), seenAt: items[found]!.at });
    next[unit.from] = found + 1;
  }
  for (const from of ["client", "server"] as const) extras.push(...queues[from].slice(next[from]));
  for (const extra of extras.sort((a, b) => a.at - b.at)) {
    const before = rows.findIndex((r) => r.seenAt !== null && r.seenAt > extra.at);
    const phase = before < 0 ? units.at(-1)!.phase : rows[before]!.row.phase;
    rows.splice(before < 0 ? rows.length : before, 0, { row: liveRow(extra, phase, null), seenAt: extra.at });
  }
  return rows.map((r) => r.row);
}

/** The bytes each version spent before the client's first message (what was captured or modelled). */
export function openingBytes(rows: readonly OpeningRow[]): number {
  const firstMessage = rows.findIndex((r) => r.phase === "messages");
  return rows
    .slice(0, firstMessage < 0 ? rows.length : firstMessage)
    .reduce((sum, r) => sum + (r.source === "unseen" ? 0 : (r.byteCount ?? 0)), 0);
}
