// The head of an HTTP/1.1 message (RFC 9112 §2–§5): a start line (request line or status
// line), field lines, and an empty line, each ended by CRLF. The parser reports each complete
// line's problems as soon as that line has arrived, and counts the bytes of every part so a
// timeline can show what the head costs on the wire.

import { httpError } from "./http1-error.ts";
import type { HttpError } from "./http1-error.ts";
import { isFieldValue, isToken } from "./http1-headers.ts";
import type { HeaderField } from "./http1-headers.ts";
import { latin1Decode } from "./http1-text.ts";

export interface HttpVersion {
  major: number;
  minor: number;
}

export interface RequestLine {
  kind: "request";
  method: string;
  target: string;
  version: HttpVersion;
}

export interface StatusLine {
  kind: "response";
  version: HttpVersion;
  status: number;
  reason: string;
}

/** Byte counts of each part of a head, line endings included. */
export interface HeadSizes {
  startLine: number;
  fields: number;
  emptyLine: number;
  total: number;
}

export interface MessageHead {
  startLine: RequestLine | StatusLine;
  fields: HeaderField[];
  sizes: HeadSizes;
}

export interface RequestHead extends MessageHead {
  startLine: RequestLine;
}

export interface ResponseHead extends MessageHead {
  startLine: StatusLine;
}

export interface HeadOptions {
  /** Accept a lone LF as a line ending, which RFC 9112 §2.2 allows a recipient to do. Off by default. */
  allowBareLf?: boolean;
  /** Heads longer than this are refused with 431 (RFC 6585 §5). Default 64 KiB. */
  maxHeadLength?: number;
}

export type HeadResult<H extends MessageHead> =
  { kind: "head"; head: H } | { kind: "need-more" } | { kind: "error"; error: HttpError };

export function parseRequestHead(bytes: Uint8Array, options: HeadOptions = {}): HeadResult<RequestHead> {
  return parseHead(bytes, "request", options) as HeadResult<RequestHead>;
}

export function parseResponseHead(bytes: Uint8Array, options: HeadOptions = {}): HeadResult<ResponseHead> {
  return parseHead(bytes, "response", options) as HeadResult<ResponseHead>;
}

const DEFAULT_MAX_HEAD = 64 * 1024;

function parseHead(bytes: Uint8Array, expect: "request" | "response", options: HeadOptions): HeadResult<MessageHead> {
  const max = options.maxHeadLength ?? DEFAULT_MAX_HEAD;
  const tooLarge = (): HeadResult<MessageHead> => ({
    kind: "error",
    error: httpError(
      "head-too-large",
      `the head is longer than the ${max} bytes this reader accepts`,
      max,
      "RFC 6585 §5",
      expect === "request" ? 431 : 502,
    ),
  });
  const line = nextLine(bytes, 0, options.allowBareLf === true);
  if (line.kind === "error") return line;
  if (line.kind === "need-more") return bytes.length > max ? tooLarge() : line;
  const text = latin1Decode(bytes, 0, line.contentEnd);
  if (text === "")
    return {
      kind: "error",
      error: httpError(
        "empty-start-line",
        "the message starts with an empty line instead of a start line",
        0,
        "RFC 9112 §2.2",
      ),
    };
  const startLine = expect === "request" ? parseRequestLine(text, 0) : parseStatusLine(text, 0);
  if (isHttpError(startLine)) return { kind: "error", error: startLine };
  const section = parseFieldSection(bytes, line.next, options);
  if (section.kind === "need-more") return bytes.length > max ? tooLarge() : section;
  if (section.kind === "error") return section;
  if (section.end > max) return tooLarge();
  const sizes = {
    startLine: line.next,
    fields: section.fieldsSize,
    emptyLine: section.end - section.emptyLineStart,
    total: section.end,
  };
  return { kind: "head", head: { startLine, fields: section.fields, sizes } };
}

export type FieldSectionResult =
  | { kind: "fields"; fields: HeaderField[]; fieldsSize: number; emptyLineStart: number; end: number }
  | { kind: "need-more" }
  | { kind: "error"; error: HttpError };

/**
 * Field lines from `from` up to and including the empty line that ends them: the header
 * section of a head, or the trailer section of a chunked body (RFC 9112 §5, §7.1.2).
 */
export function parseFieldSection(bytes: Uint8Array, from: number, options: HeadOptions = {}): FieldSectionResult {
  const fields: HeaderField[] = [];
  let fieldsSize = 0;
  let at = from;
  for (;;) {
    const line = nextLine(bytes, at, options.allowBareLf === true);
    if (line.kind !== "line") return line;
    const size = line.next - at;
    if (line.contentEnd === at) return { kind: "fields", fields, fieldsSize, emptyLineStart: at, end: line.next };
    const field = parseFieldLine(latin1Decode(bytes, at, line.contentEnd), at, at === from);
    if (isHttpError(field)) return { kind: "error", error: field };
    fields.push({ ...field, length: size });
    fieldsSize += size;
    at = line.next;
  }
}

function isHttpError(value: object): value is HttpError {
  return "rfc" in value;
}

type Line =
  { kind: "line"; contentEnd: number; next: number } | { kind: "need-more" } | { kind: "error"; error: HttpError };

function nextLine(bytes: Uint8Array, from: number, allowBareLf: boolean): Line {
  for (let i = from; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0d) {
      if (i + 1 === bytes.length) return { kind: "need-more" };
      if (bytes[i + 1] !== 0x0a)
        return {
          kind: "error",
          error: httpError("bare-cr", "a CR that is not followed by LF; lines end with CR LF", i, "RFC 9112 §2.2"),
        };
      return { kind: "line", contentEnd: i, next: i + 2 };
    }
    if (b === 0x0a) {
      if (allowBareLf) return { kind: "line", contentEnd: i, next: i + 1 };
      return {
        kind: "error",
        error: httpError("bare-lf", "a line ends with LF alone; HTTP/1.1 lines end with CR LF", i, "RFC 9112 §2.2"),
      };
    }
  }
  return { kind: "need-more" };
}

function parseVersion(text: string): HttpVersion | null {
  const m = /^HTTP\/(\d)\.(\d)$/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

function parseRequestLine(text: string, offset: number): RequestLine | HttpError {
  const parts = text.split(" ");
  if (parts.length !== 3 || parts.some((p) => p === "")) {
    return httpError(
      "bad-request-line",
      `the request line "${text}" is not "method target version", separated by single spaces`,
      offset,
      "RFC 9112 §3",
    );
  }
  const [method, target, versionText] = parts as [string, string, string];
  if (!isToken(method))
    return httpError("bad-method", `"${method}" is not a valid method name`, offset, "RFC 9112 §3.1");
  if (!/^[\x21-\x7e\x80-\xff]+$/.test(target))
    return httpError(
      "bad-target",
      `the request target "${target}" contains characters that are not allowed`,
      offset + method.length + 1,
      "RFC 9112 §3.2",
    );
  const version = parseVersion(versionText);
  const versionOffset = offset + method.length + target.length + 2;
  if (!version)
    return httpError(
      "bad-version",
      `"${versionText}" is not an HTTP version like HTTP/1.1`,
      versionOffset,
      "RFC 9112 §2.3",
    );
  if (version.major !== 1)
    return httpError(
      "unsupported-version",
      `HTTP/${version.major}.${version.minor} does not use this text format; only HTTP/1.x does`,
      versionOffset,
      "RFC 9112 §2.3",
      505,
    );
  return { kind: "request", method, target, version };
}

function parseStatusLine(text: string, offset: number): StatusLine | HttpError {
  const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(text);
  if (!m)
    return httpError(
      "bad-status-line",
      `the status line "${text}" is not "HTTP/1.1 <3-digit status> <reason>"`,
      offset,
      "RFC 9112 §4",
      502,
    );
  const version = parseVersion(m[1]!)!;
  if (version.major !== 1)
    return httpError(
      "unsupported-version",
      `HTTP/${version.major}.${version.minor} does not use this text format; only HTTP/1.x does`,
      offset,
      "RFC 9112 §2.3",
      502,
    );
  const reason = m[3] ?? "";
  if (!isFieldValue(reason))
    return httpError(
      "bad-status-line",
      "the reason phrase contains control characters",
      offset + 13,
      "RFC 9112 §4",
      502,
    );
  return { kind: "response", version, status: Number(m[2]), reason };
}

function parseFieldLine(text: string, offset: number, first: boolean): Omit<HeaderField, "length"> | HttpError {
  if (text.startsWith(" ") || text.startsWith("\t")) {
    return first
      ? httpError(
          "whitespace-before-first-field",
          "whitespace between the start line and the first field line; it could hide a field from some readers",
          offset,
          "RFC 9112 §2.2",
        )
      : httpError(
          "obsolete-line-folding",
          "a field line starts with whitespace: obsolete line folding, which a recipient must reject or replace",
          offset,
          "RFC 9112 §5.2",
        );
  }
  const colon = text.indexOf(":");
  if (colon < 0)
    return httpError(
      "field-without-colon",
      `the field line "${text}" has no colon between name and value`,
      offset,
      "RFC 9112 §5",
    );
  const name = text.slice(0, colon);
  if (name === "")
    return httpError(
      "empty-field-name",
      "a field line starts with a colon: the field name is empty",
      offset,
      "RFC 9112 §5",
    );
  if (/[ \t]$/.test(name))
    return httpError(
      "whitespace-before-colon",
      `whitespace between the field name "${name.trimEnd()}" and the colon is not allowed`,
      offset + name.trimEnd().length,
      "RFC 9112 §5.1",
    );
  if (!isToken(name))
    return httpError("bad-field-name", `"${name}" is not a valid field name`, offset, "RFC 9110 §5.1");
  const raw = text.slice(colon + 1);
  const value = raw.replace(/^[ \t]+|[ \t]+$/g, "");
  if (!isFieldValue(value)) {
    const bad = raw.search(/[^\t\x20-\x7e\x80-\xff]/);
    return httpError(
      "bad-field-value",
      `the value of ${name} contains a control character (NUL, CR, LF and other controls are not allowed)`,
      offset + colon + 1 + bad,
      "RFC 9110 §5.5",
    );
  }
  return { name, value, offset };
}
