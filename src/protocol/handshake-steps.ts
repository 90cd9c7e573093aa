// The opening handshake as six steps a reader walks through (RFC 6455 §4), and everything each
// step shows, computed from one captured (or recorded) request and response. Pure and DOM-free:
// the stepper machine keeps a PreparedHandshake in its context and the widget renders
// describeStep(index, handshake). The only async part, SHA-1, happens once in prepareHandshake,
// before the machine sees the data, so stepping stays synchronous.
//
// Messages are kept as ISO-8859-1 text, one character per byte, so a character index in
// `request` or `response` is also the byte offset on the wire.

import { base64ToBytes, bytesToBase64 } from "./base64.ts";
import type { HandshakeFailure, HandshakeFailureReason } from "./handshake-failure.ts";
import { acceptDigest, WEBSOCKET_GUID } from "./handshake-key.ts";
import { parseClientRequest } from "./handshake-request.ts";
import { parseServerResponse } from "./handshake-response.ts";
import { toHex } from "./hex.ts";
import { headerValues, listElements } from "./http1-headers.ts";
import { latin1Decode, latin1Encode } from "./http1-text.ts";
import type { FourTuple } from "./tap-events.ts";

export type HandshakeSource = "live" | "recorded";
export type MessageName = "request" | "response";

/** One line of a message head, as it was on the wire. */
export interface MessageLine {
  index: number;
  /** start: request or status line; field: a header line; end: the empty line ending the head; rest: bytes after it. */
  kind: "start" | "field" | "end" | "rest";
  /** The line without its line ending. */
  text: string;
  /** Field name as the sender spelled it (field lines only). */
  name: string | null;
  value: string | null;
  /** Byte offset of the line in its message, and its length including the line ending. */
  offset: number;
  length: number;
  /** Byte offset and length of the field value, without surrounding whitespace (field lines only). */
  valueOffset: number | null;
  valueLength: number | null;
}

/** One check a server makes on the client's request (RFC 6455 §4.2.1). */
export interface RequestCheck {
  id: "readable" | "method" | "http-version" | "host" | "upgrade" | "connection" | "key" | "version" | "origin";
  label: string;
  /** The field the check reads (lower case), or null for the request line. */
  field: string | null;
  rfc: string;
  ok: boolean;
  /** Optional fields (Origin) never fail the handshake on their own. */
  optional: boolean;
  detail: string;
  /** parseClientRequest's reasons that made this check fail. */
  reasons: HandshakeFailureReason[];
}

export interface RequestValidation {
  ok: boolean;
  /** What the server answers: 101, or 400 / 426 for a refused request (RFC 6455 §4.2.1, §4.4). */
  status: number;
  checks: RequestCheck[];
  failures: HandshakeFailure[];
}

export interface AcceptComputation {
  key: string;
  guid: string;
  /** key + GUID, the text that is hashed. */
  concatenated: string;
  /** The 20-byte SHA-1 digest, as lower-case hex pairs. */
  sha1Hex: string;
  /** base64 of the digest: the Sec-WebSocket-Accept value the key calls for. */
  computed: string;
}

export interface PreparedHandshake {
  source: HandshakeSource;
  request: string;
  response: string;
  requestLines: MessageLine[];
  responseLines: MessageLine[];
  /** Sec-WebSocket-Key as sent, or null when the request has none. */
  key: string | null;
  /** The 16 bytes the key decodes to, in hex; null when it is not base64 of 16 bytes. */
  keyBytesHex: string | null;
  /** Sec-WebSocket-Accept as the server sent it, or null. */
  accept: string | null;
  /** The status code of the response, or null when its status line cannot be read. */
  status: number | null;
  tuple: FourTuple | null;
  validation: RequestValidation;
  acceptComputation: AcceptComputation | null;
  /** Does the server's accept equal the one computed here from the key? */
  acceptMatches: boolean;
  /** The client's check of the whole response (RFC 6455 §4.1). */
  responseCheck: { ok: boolean; failures: HandshakeFailure[] };
}

// ---------------------------------------------------------------------------------------------
// Reading the messages

function toLatin1(input: Uint8Array | string): string {
  return latin1Decode(typeof input === "string" ? latin1Encode(input) : input);
}

/** The head's lines up to and including the empty line; anything after it is one "rest" line. */
export function splitLines(text: string): MessageLine[] {
  const lines: MessageLine[] = [];
  let at = 0;
  while (at < text.length) {
    const lf = text.indexOf("\n", at);
    const next = lf === -1 ? text.length : lf + 1;
    const contentEnd = lf === -1 ? text.length : lf > at && text[lf - 1] === "\r" ? lf - 1 : lf;
    const content = text.slice(at, contentEnd);
    const index = lines.length;
    const base = {
      index,
      text: content,
      offset: at,
      length: next - at,
      name: null,
      value: null,
      valueOffset: null,
      valueLength: null,
    };
    if (index === 0) lines.push({ ...base, kind: "start" });
    else if (content === "") {
      lines.push({ ...base, kind: "end" });
      at = next;
      break;
    } else {
      const colon = content.indexOf(":");
      if (colon > 0) {
        const raw = content.slice(colon + 1);
        const value = raw.trim();
        const lead = raw.length - raw.trimStart().length;
        lines.push({
          ...base,
          kind: "field",
          name: content.slice(0, colon),
          value,
          valueOffset: at + colon + 1 + lead,
          valueLength: value.length,
        });
      } else lines.push({ ...base, kind: "field" });
    }
    at = next;
  }
  if (at < text.length) {
    lines.push({
      index: lines.length,
      kind: "rest",
      text: text.slice(at),
      offset: at,
      length: text.length - at,
      name: null,
      value: null,
      valueOffset: null,
      valueLength: null,
    });
  }
  return lines;
}

function findField(lines: readonly MessageLine[], name: string): MessageLine | undefined {
  const wanted = name.toLowerCase();
  return lines.find((l) => l.kind === "field" && l.name?.toLowerCase() === wanted);
}

// ---------------------------------------------------------------------------------------------
// The server's checks (RFC 6455 §4.2.1), one per rule, judged by parseClientRequest

const CHECKS: readonly {
  id: RequestCheck["id"];
  label: string;
  field: string | null;
  rfc: string;
  reasons: readonly HandshakeFailureReason[];
}[] = [
  { id: "method", label: "The method is GET", field: null, rfc: "RFC 6455 §4.2.1 item 1", reasons: ["method-not-get"] },
  {
    id: "http-version",
    label: "HTTP/1.1 or later",
    field: null,
    rfc: "RFC 6455 §4.2.1 item 1",
    reasons: ["http-version-too-old"],
  },
  {
    id: "host",
    label: "Exactly one Host field",
    field: "host",
    rfc: "RFC 6455 §4.2.1 item 2",
    reasons: ["host-missing"],
  },
  {
    id: "upgrade",
    label: "Upgrade names websocket",
    field: "upgrade",
    rfc: "RFC 6455 §4.2.1 item 3",
    reasons: ["upgrade-missing", "upgrade-not-websocket"],
  },
  {
    id: "connection",
    label: "Connection contains Upgrade",
    field: "connection",
    rfc: "RFC 6455 §4.2.1 item 4",
    reasons: ["connection-missing-upgrade"],
  },
  {
    id: "key",
    label: "Sec-WebSocket-Key is base64 of 16 bytes",
    field: "sec-websocket-key",
    rfc: "RFC 6455 §4.2.1 item 5",
    reasons: ["key-missing", "key-repeated", "key-invalid"],
  },
  {
    id: "version",
    label: "Sec-WebSocket-Version is 13",
    field: "sec-websocket-version",
    rfc: "RFC 6455 §4.2.1 item 6",
    reasons: ["version-missing", "version-not-13"],
  },
];

function passedDetail(id: RequestCheck["id"], lines: readonly MessageLine[]): string {
  const start = lines[0]?.text ?? "";
  const value = (name: string) => findField(lines, name)?.value ?? "";
  switch (id) {
    case "method":
      return `The request line starts with GET: "${start}".`;
    case "http-version":
      return `The request line ends with ${start.split(" ").at(-1) ?? "HTTP/1.1"}.`;
    case "host":
      return `Host: ${value("host")} names the server, so it knows which site is meant.`;
    case "upgrade":
      return `Upgrade: ${value("upgrade")} asks to switch this connection to WebSocket (compared without regard to case).`;
    case "connection":
      return `Connection: ${value("connection")} contains the Upgrade token, so the Upgrade field is meant for this hop.`;
    case "key": {
      const key = value("sec-websocket-key");
      return `Sec-WebSocket-Key: ${key} is ${key.length} characters of base64 that decode to exactly 16 bytes.`;
    }
    case "version":
      return "Sec-WebSocket-Version: 13, the only version RFC 6455 defines.";
    default:
      return "";
  }
}

function validateRequest(request: string, lines: readonly MessageLine[]): RequestValidation {
  const result = parseClientRequest(request);
  if (result.ok === "need-more") {
    const failure: HandshakeFailure = {
      reason: "malformed-http",
      error: "the request ends before the empty line that closes its head",
      rfc: "RFC 9112 §2.1",
      status: 400,
    };
    return { ok: false, status: 400, failures: [failure], checks: [readableCheck(failure)] };
  }
  if (!result.ok && result.head === null) {
    return { ok: false, status: result.status, failures: result.failures, checks: result.failures.map(readableCheck) };
  }
  const failures = result.ok ? [] : result.failures;
  const checks: RequestCheck[] = CHECKS.map((check) => {
    const own = failures.filter((f) => check.reasons.includes(f.reason));
    return {
      id: check.id,
      label: check.label,
      field: check.field,
      rfc:
        own.length > 0
          ? own
              .map((f) => f.rfc)
              .filter((r, i, all) => all.indexOf(r) === i)
              .join("; ")
          : check.rfc,
      ok: own.length === 0,
      optional: false,
      detail: own.length > 0 ? own.map((f) => capitalize(f.error) + ".").join(" ") : passedDetail(check.id, lines),
      reasons: own.map((f) => f.reason),
    };
  });
  const origin = findField(lines, "origin")?.value ?? null;
  checks.push({
    id: "origin",
    label: "Origin (optional, but every browser sends it)",
    field: "origin",
    rfc: "RFC 6455 §4.2.1 item 7, §10.2",
    ok: true,
    optional: true,
    detail:
      origin === null
        ? "No Origin field: not a browser, or a browser that was not asked. A server may refuse such clients."
        : `Origin: ${origin} names the page that opened the socket. The lab accepts only its own origin (and ones its operator allows) and answers others with 403, which stops other sites from borrowing your cookies.`,
    reasons: [],
  });
  return { ok: result.ok === true, status: result.ok ? 101 : result.status, checks, failures };
}

function readableCheck(failure: HandshakeFailure): RequestCheck {
  return {
    id: "readable",
    label: "A readable HTTP request",
    field: null,
    rfc: failure.rfc,
    ok: false,
    optional: false,
    detail: capitalize(failure.error) + ".",
    reasons: [failure.reason],
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Preparing a handshake: everything the steps show, computed once

/**
 * Reads a handshake's two heads (bytes as captured, or text) and computes what every step
 * shows: the lines, the server's checks, the accept value recomputed from the key, and the
 * client's verdict on the response.
 */
export async function prepareHandshake(
  requestInput: Uint8Array | string,
  responseInput: Uint8Array | string,
  tuple: FourTuple | null,
  source: HandshakeSource,
): Promise<PreparedHandshake> {
  const request = toLatin1(requestInput);
  const response = toLatin1(responseInput);
  const requestLines = splitLines(request);
  const responseLines = splitLines(response);
  const keys = headerValues(
    requestLines.filter((l) => l.kind === "field").map((l) => ({ name: l.name ?? "", value: l.value ?? "" })),
    "sec-websocket-key",
  );
  const key = keys[0] ?? null;
  const keyBytes = key === null ? null : base64ToBytes(key);
  const accept = findField(responseLines, "sec-websocket-accept")?.value ?? null;
  const statusMatch = /^HTTP\/\d\.\d (\d{3})(?: |$)/.exec(responseLines[0]?.text ?? "");

  let acceptComputation: AcceptComputation | null = null;
  if (key !== null) {
    const digest = await acceptDigest(key);
    acceptComputation = {
      key,
      guid: WEBSOCKET_GUID,
      concatenated: key + WEBSOCKET_GUID,
      sha1Hex: toHex(digest),
      computed: bytesToBase64(digest),
    };
  }

  const requestFields = requestLines
    .filter((l) => l.kind === "field")
    .map((l) => ({ name: l.name ?? "", value: l.value ?? "" }));
  const responseResult = await parseServerResponse(response, {
    key: key ?? "",
    protocols: headerValues(requestFields, "sec-websocket-protocol").flatMap(listElements),
    extensions: headerValues(requestFields, "sec-websocket-extensions").flatMap(listElements),
  });
  const responseCheck =
    responseResult.ok === "need-more"
      ? {
          ok: false,
          failures: [
            {
              reason: "malformed-http" as const,
              error: "the response ends before the empty line that closes its head",
              rfc: "RFC 9112 §2.1",
            },
          ],
        }
      : { ok: responseResult.ok, failures: responseResult.ok ? [] : responseResult.failures };

  return {
    source,
    request,
    response,
    requestLines,
    responseLines,
    key,
    keyBytesHex: keyBytes && keyBytes.length === 16 ? toHex(keyBytes) : null,
    accept,
    status: statusMatch ? Number(statusMatch[1]) : null,
    tuple,
    validation: validateRequest(request, requestLines),
    acceptComputation,
    acceptMatches: accept !== null && acceptComputation !== null && accept === acceptComputation.computed,
    responseCheck,
  };
}

// ---------------------------------------------------------------------------------------------
// The steps

export interface StepDefinition {
  id: "tcp" | "request" | "validate" | "accept" | "response" | "open";
  title: string;
  /** Short label for the step list. */
  short: string;
  rfc: string;
}

export const STEPS: readonly StepDefinition[] = [
  { id: "tcp", title: "TCP connection established", short: "TCP connected", rfc: "RFC 9293 §3.5" },
  {
    id: "request",
    title: "The client sends the upgrade request",
    short: "Request sent",
    rfc: "RFC 6455 §4.1; RFC 9110 §7.8",
  },
  { id: "validate", title: "The server checks the request", short: "Server validates", rfc: "RFC 6455 §4.2.1" },
  {
    id: "accept",
    title: "The server computes Sec-WebSocket-Accept",
    short: "Accept computed",
    rfc: "RFC 6455 §4.2.2 item 5.4, §1.3",
  },
  {
    id: "response",
    title: "101 Switching Protocols, and the client's check",
    short: "101 Switching Protocols",
    rfc: "RFC 6455 §4.2.2, §4.1; RFC 9110 §15.2.2, §7.8",
  },
  { id: "open", title: "Open: WebSocket frames on the same connection", short: "Open", rfc: "RFC 6455 §4.1, §5" },
];

export const STEP_COUNT = STEPS.length;

/** A line the step is about, with why. */
export interface InvolvedLine {
  message: MessageName;
  line: number;
  label: string;
}

/** Bytes the step is about, as offsets in one message (end exclusive). */
export interface ByteRange {
  message: MessageName;
  start: number;
  end: number;
  label: string;
}

export interface ComputedValue {
  label: string;
  value: string;
  /** Show as code (wire text, hex, base64) rather than prose. */
  code: boolean;
  note?: string;
}

export interface StepView {
  index: number;
  /** 1-based, as the reader counts. */
  number: number;
  count: number;
  id: StepDefinition["id"];
  title: string;
  rfc: string;
  paragraphs: string[];
  lines: InvolvedLine[];
  /** Field names (as spelled in the message) of the involved field lines. */
  headers: { request: string[]; response: string[] };
  ranges: ByteRange[];
  values: ComputedValue[];
  /** The server's checks, on the validation step. */
  checks: RequestCheck[] | null;
  /** The client's comparison of the accept values, on the 101 step. */
  acceptCheck: { sent: string | null; computed: string | null; matches: boolean; text: string } | null;
}

export function clampStep(index: number, count = STEP_COUNT): number {
  if (!Number.isFinite(index)) return 0;
  return Math.min(count - 1, Math.max(0, Math.trunc(index)));
}

const HASH_KEY = "handshake-step";

/** The step a URL hash asks for: "#handshake-step=3" is index 2; anything else is 0; out of range is clamped. */
export function stepFromHash(hash: string, count = STEP_COUNT): number {
  const wanted = requestedStep(hash);
  return wanted === null ? 0 : clampStep(wanted - 1, count);
}

/** Does the hash name a step at all (so the widget should follow it)? */
export function hashNamesStep(hash: string): boolean {
  return requestedStep(hash) !== null;
}

function requestedStep(hash: string): number | null {
  // One of the hash's parameters: on a projector it follows the slide ("#present=3&handshake-step=4").
  const match = new RegExp(`(?:^#?|&)${HASH_KEY}=(-?\\d{1,6})(?:&|$)`).exec(hash.trim());
  return match ? Number(match[1]) : null;
}

export function hashForStep(index: number, count = STEP_COUNT): string {
  return `#${HASH_KEY}=${clampStep(index, count) + 1}`;
}

function formatEndpoint(address: string, port: number): string {
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Everything shown for one step of one handshake. */
export function describeStep(index: number, hs: PreparedHandshake): StepView {
  const i = clampStep(index);
  const def = STEPS[i]!;
  const lines: InvolvedLine[] = [];
  const ranges: ByteRange[] = [];
  const values: ComputedValue[] = [];
  const paragraphs: string[] = [];
  let checks: RequestCheck[] | null = null;
  let acceptCheck: StepView["acceptCheck"] = null;

  const messageLines = (m: MessageName) => (m === "request" ? hs.requestLines : hs.responseLines);
  const involve = (
    m: MessageName,
    line: MessageLine | undefined,
    label: string,
    range: "line" | "value" | "none" = "line",
  ): boolean => {
    if (!line) return false;
    if (!lines.some((l) => l.message === m && l.line === line.index))
      lines.push({ message: m, line: line.index, label });
    if (range === "line") ranges.push({ message: m, start: line.offset, end: line.offset + line.length, label });
    if (range === "value" && line.valueOffset !== null && line.valueLength !== null) {
      ranges.push({ message: m, start: line.valueOffset, end: line.valueOffset + line.valueLength, label });
    }
    return true;
  };
  const field = (m: MessageName, name: string) => findField(messageLines(m), name);
  const start = (m: MessageName) => messageLines(m).find((l) => l.kind === "start");
  const end = (m: MessageName) => messageLines(m).find((l) => l.kind === "end");
  const requestSize = end("request") ? end("request")!.offset + end("request")!.length : hs.request.length;
  const responseSize = end("response") ? end("response")!.offset + end("response")!.length : hs.response.length;
  const live = hs.source === "live";

  switch (def.id) {
    case "tcp": {
      paragraphs.push(
        "Before a single byte of HTTP, the browser opens a TCP connection to the server: SYN, SYN-ACK, ACK, the three-way handshake (RFC 9293 §3.5). A page never sees those segments; its WebSocket object just waits in CONNECTING.",
        "Four numbers name this connection for its whole life: the client's address and port, and the server's address and port. Every byte of the handshake and every WebSocket frame afterwards travels on this one connection.",
      );
      if (hs.tuple) {
        values.push(
          {
            label: "Client (your browser)",
            value: formatEndpoint(hs.tuple.clientAddress, hs.tuple.clientPort),
            code: true,
            note: "The port was picked by your operating system for this connection.",
          },
          {
            label: "Server (the lab)",
            value: formatEndpoint(hs.tuple.serverAddress, hs.tuple.serverPort),
            code: true,
            note: "As the lab's socket reported it.",
          },
        );
      } else {
        const host = field("request", "host")?.value ?? null;
        paragraphs.push(
          live
            ? "The lab did not report this connection's addresses, so the 4-tuple cannot be shown."
            : `A recorded example has no connection to show. ${host ? `The client would connect to ${host}, port 80 for ws:// or 443 for wss:// unless the URL names another (RFC 6455 §3).` : ""}`.trim(),
        );
      }
      break;
    }
    case "request": {
      paragraphs.push(
        "Over that connection the browser writes an ordinary HTTP/1.1 request, with a few fields that ask the server to switch protocols. The highlighted lines are the ones RFC 6455 §4.1 names: the request line, Host, Upgrade, Connection, the key and the version are required, Origin is required of browsers, and subprotocols and extensions are optional offers. Anything else is ordinary HTTP that the WebSocket protocol does not define. User-Agent and Accept-Language go unused, but Cookie matters: the browser sends the server's cookies with the handshake (§4.1 allows it), which is how the server knows who you are, and why it must check Origin.",
      );
      const requestLine = start("request");
      if (involve("request", requestLine, "Request line")) {
        values.push({
          label: "Request line",
          value: requestLine!.text,
          code: true,
          note: "The method must be GET and the version HTTP/1.1 or later; the target is the resource the socket is for (§4.1 items 2–3).",
        });
      }
      const fieldNotes: [string, string][] = [
        ["host", "Which site on this server is meant (§4.1 item 4; RFC 9112 §3.2)."],
        ["upgrade", "The protocol to switch to (§4.1 item 5; RFC 9110 §7.8)."],
        [
          "connection",
          "Upgrade is hop-by-hop: Connection: Upgrade says it is meant for the next hop, which a proxy must not blindly forward (§4.1 item 6; RFC 9110 §7.6.1).",
        ],
        [
          "sec-websocket-key",
          hs.keyBytesHex
            ? `16 random bytes, new for every connection, sent as base64 (§4.1 item 7). They decode to ${hs.keyBytesHex}.`
            : "Should be 16 random bytes sent as base64 (§4.1 item 7); this one does not decode to 16 bytes.",
        ],
        ["sec-websocket-version", "The only version RFC 6455 defines is 13 (§4.1 item 9)."],
        [
          "origin",
          "The page that opened the socket; browsers always send it, so servers can refuse other sites (§4.1 item 8, §10.2).",
        ],
        ["sec-websocket-protocol", "Optional: subprotocols the page offered, in order of preference (§4.1 item 10)."],
        [
          "sec-websocket-extensions",
          "Optional: extensions the browser can use, such as permessage-deflate compression (§4.1 item 11; RFC 7692).",
        ],
      ];
      for (const [name, note] of fieldNotes) {
        const line = field("request", name);
        if (involve("request", line, line?.name ?? name))
          values.push({ label: line!.name!, value: line!.value ?? "", code: true, note });
      }
      const others = hs.requestLines.filter(
        (l) => l.kind === "field" && !fieldNotes.some(([n]) => n === l.name?.toLowerCase()),
      );
      values.push({
        label: "Size of the request head",
        value: plural(requestSize, "byte"),
        code: false,
        note:
          others.length > 0
            ? `Including ${plural(others.length, "other field")} the handshake does not need.`
            : undefined,
      });
      break;
    }
    case "validate": {
      const v = hs.validation;
      checks = v.checks;
      paragraphs.push(
        "The server reads the request and checks each rule of RFC 6455 §4.2.1. If any fails, it must not switch protocols: it answers with an ordinary HTTP error and the connection stays plain HTTP.",
        v.ok
          ? `Every check passes${live ? " for the request your browser just sent" : ""}, so the server goes on to build a 101 answer.`
          : `${plural(v.failures.length, "check")} ${v.failures.length === 1 ? "fails" : "fail"}, so the server answers ${v.status === 426 ? "426 Upgrade Required, with Sec-WebSocket-Version: 13 to say which version it speaks (§4.4)" : `${v.status} Bad Request`}: ${v.failures.map((f) => f.reason).join(", ")}.`,
      );
      involve("request", start("request"), "Request line: method and version", "none");
      for (const check of v.checks) {
        if (check.field) involve("request", field("request", check.field), `${check.label}`, "none");
      }
      values.push({
        label: "The server's answer",
        value: v.ok ? "101 Switching Protocols" : String(v.status),
        code: true,
      });
      break;
    }
    case "accept": {
      const a = hs.acceptComputation;
      const keyLine = field("request", "sec-websocket-key");
      involve("request", keyLine, "Sec-WebSocket-Key: the input", "value");
      paragraphs.push(
        "To show it really read a WebSocket handshake, the server proves it saw the key: it appends the fixed GUID from RFC 6455 §1.3, takes the SHA-1 of that text, and sends the 20-byte digest as base64 (§4.2.2 item 5.4).",
        "The key is hashed as the base64 text that was sent, not as the 16 bytes it decodes to. Every value below was computed by this page, just now, from the captured key.",
        "This is not security: anyone can compute it. It only shows that the server understood a WebSocket request, so a server that does not speak WebSocket cannot be mistaken for one (§1.3, §10.8).",
      );
      if (a) {
        values.push(
          { label: "Key, as sent", value: a.key, code: true },
          { label: "GUID (RFC 6455 §1.3)", value: a.guid, code: true },
          {
            label: "Key + GUID",
            value: a.concatenated,
            code: true,
            note: `${a.concatenated.length} characters, hashed as ASCII.`,
          },
          { label: "SHA-1 (20 bytes, hex)", value: a.sha1Hex, code: true },
          {
            label: "base64 of the digest",
            value: a.computed,
            code: true,
            note: "This is the Sec-WebSocket-Accept value the server must send.",
          },
        );
      } else {
        paragraphs.push(
          "This request has no Sec-WebSocket-Key, so there is nothing to compute: the server refuses it.",
        );
      }
      break;
    }
    case "response": {
      paragraphs.push(
        "The server answers 101 Switching Protocols: it agrees to stop speaking HTTP on this connection. Upgrade switches the same TCP connection the request came on; no new connection is opened (RFC 9110 §15.2.2, §7.8).",
        "Before the browser trusts the answer, it checks it (RFC 6455 §4.1): the status must be 101, Upgrade must say websocket, Connection must contain Upgrade, and Sec-WebSocket-Accept must equal the value computed from its own key. Any other answer fails the connection.",
      );
      const statusLine = start("response");
      if (involve("response", statusLine, "Status line"))
        values.push({ label: "Status line", value: statusLine!.text, code: true });
      for (const name of [
        "upgrade",
        "connection",
        "sec-websocket-accept",
        "sec-websocket-protocol",
        "sec-websocket-extensions",
      ]) {
        const line = field("response", name);
        if (involve("response", line, line?.name ?? name, name === "sec-websocket-accept" ? "value" : "line"))
          values.push({ label: line!.name!, value: line!.value ?? "", code: true });
      }
      const computed = hs.acceptComputation?.computed ?? null;
      acceptCheck = {
        sent: hs.accept,
        computed,
        matches: hs.acceptMatches,
        text:
          hs.accept === null
            ? "The response has no Sec-WebSocket-Accept field, so the client must fail the connection."
            : computed === null
              ? "The request had no key, so there is nothing to compare the accept value with."
              : hs.acceptMatches
                ? `Match: the server sent ${hs.accept}, and this page computed ${computed} from the key. The client accepts the answer.`
                : `Mismatch: the server sent ${hs.accept}, but the key gives ${computed}. The client must fail the WebSocket connection.`,
      };
      if (!hs.responseCheck.ok) {
        paragraphs.push(
          `The client refuses this answer: ${hs.responseCheck.failures.map((f) => `${f.error} (${f.rfc})`).join("; ")}.`,
        );
      }
      break;
    }
    case "open": {
      const endLine = end("response");
      involve("response", endLine, "The empty line: the end of HTTP on this connection", "none");
      if (endLine)
        ranges.push({
          message: "response",
          start: endLine.offset,
          end: endLine.offset + endLine.length,
          label: "The empty line that ends the 101 response",
        });
      if (hs.responseCheck.ok) {
        paragraphs.push(
          "The connection is now open: the browser's WebSocket fires open and its readyState becomes 1 (OPEN). In RFC 6455's words, the WebSocket connection is established (§4.1).",
          "From the byte after the empty line onward, both sides speak WebSocket frames (§5), on the very same TCP connection, in both directions at once. HTTP is over for this connection; the next HTTP request would need a new one.",
        );
      } else {
        paragraphs.push(
          "This answer failed the client's checks, so the browser fails the WebSocket connection instead of opening it: the page sees an error and close code 1006 (§4.1, §7.1.7).",
        );
      }
      values.push(
        {
          label: "Client → server frames start at",
          value: `byte ${requestSize}`,
          code: false,
          note: "of the client's stream, right after the request head.",
        },
        {
          label: "Server → client frames start at",
          value: `byte ${responseSize}`,
          code: false,
          note: "of the server's stream, right after the 101 head.",
        },
        {
          label: "The handshake cost",
          value: plural(requestSize + responseSize, "byte"),
          code: false,
          note: 'Once. After it, "Hello" costs 7 bytes from the server (a 2-byte header) and 11 from the browser (plus a 4-byte mask).',
        },
      );
      if (hs.tuple)
        values.push({
          label: "Still the same connection",
          value: `${formatEndpoint(hs.tuple.clientAddress, hs.tuple.clientPort)} ↔ ${formatEndpoint(hs.tuple.serverAddress, hs.tuple.serverPort)}`,
          code: true,
        });
      break;
    }
  }

  const headers = {
    request: lines
      .filter((l) => l.message === "request")
      .map((l) => hs.requestLines[l.line]!)
      .filter((l) => l.kind === "field")
      .map((l) => l.name!),
    response: lines
      .filter((l) => l.message === "response")
      .map((l) => hs.responseLines[l.line]!)
      .filter((l) => l.kind === "field")
      .map((l) => l.name!),
  };
  return {
    index: i,
    number: i + 1,
    count: STEP_COUNT,
    id: def.id,
    title: def.title,
    rfc: def.rfc,
    paragraphs,
    lines,
    headers,
    ranges,
    values,
    checks,
    acceptCheck,
  };
}
