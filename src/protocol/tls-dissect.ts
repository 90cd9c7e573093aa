// One TLS record, every byte named: the 5-byte header (RFC 8446 §5.1); in a handshake record,
// each message's header (§4) and, for the ClientHello and ServerHello that travel in the clear,
// every field down to each extension (§4.1.2, §4.1.3, §4.2); in a change_cipher_spec record its
// one byte (Appendix D.4); in a plaintext alert its level and description (§6); in an encrypted
// record, the ciphertext and the authentication tag that closes it (§5.2). The same shape as a
// WebSocket frame's fields (frame-dissect.ts), so the page shows both in one byte grid.
//
// Pure. Bytes missing at the end are reported: the fields they would have held are marked
// incomplete and nothing past the record's end is read.
import type { ByteField } from "./byte-field.ts";
import {
  extensionName,
  isGrease,
  TLS_CIPHER_SUITES,
  TLS_CONTENT_TYPES,
  TLS_HANDSHAKE_TYPES,
  TLS_RECORD_HEADER,
  tlsVersionName,
} from "./tls-records.ts";

/** Colour families the page gives fields: header, lengths, fields of a message, opaque bytes. */
export type TlsFieldKind = "record-header" | "length" | "message-header" | "field" | "opaque" | "tag";

export type TlsField = ByteField<TlsFieldKind>;

/** Every TLS 1.3 cipher suite Node negotiates (AES-GCM, ChaCha20-Poly1305) ends a record with a 16-byte tag. */
export const AEAD_TAG_BYTES = 16;

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, "0")}`;

/** What an extension's data is for, by extension type; the rest are named only. */
const EXTENSION_MEANING: Readonly<Record<number, { meaning: string; rfc: string }>> = {
  0: { meaning: "the host name the client wants, in the clear for anyone on the path (SNI)", rfc: "RFC 6066 §3" },
  10: {
    meaning: "the key-exchange groups the client supports (elliptic curves, finite fields)",
    rfc: "RFC 8446 §4.2.7",
  },
  13: {
    meaning: "the signature algorithms the client accepts in the server's CertificateVerify",
    rfc: "RFC 8446 §4.2.3",
  },
  16: { meaning: "application protocols offered or chosen (ALPN), such as http/1.1", rfc: "RFC 7301 §3.1" },
  43: {
    meaning:
      "the TLS versions offered (ClientHello) or chosen (ServerHello): the real version, since the legacy fields are frozen",
    rfc: "RFC 8446 §4.2.1",
  },
  45: { meaning: "how a resumed session may set up keys", rfc: "RFC 8446 §4.2.9" },
  51: {
    meaning:
      "a fresh ephemeral public key: both sides' key shares make the session's secrets, which never cross the wire",
    rfc: "RFC 8446 §4.2.8",
  },
};

interface Builder {
  fields: TlsField[];
  /** The record's bytes (header included). */
  bytes: Uint8Array;
  /** Where the record ends: header plus the length it states, or the bytes given if fewer. */
  end: number;
}

/** Adds a field of `size` bytes at `at`, cut short at the record's end; returns its value read big-endian (null if cut or over 4 bytes). */
function add(
  b: Builder,
  id: TlsFieldKind,
  name: string,
  at: number,
  size: number,
  meaning: (value: number | null) => string,
  rfc: string,
  numeric = true,
): number | null {
  if (size <= 0 || at >= b.end) return null;
  const end = Math.min(at + size, b.end);
  const complete = end === at + size;
  let value: number | null = null;
  if (numeric && complete && size <= 4) {
    value = 0;
    for (let i = at; i < end; i++) value = value * 256 + b.bytes[i]!;
  }
  b.fields.push({
    id,
    name,
    byteStart: at,
    byteEnd: end,
    bitStart: at * 8,
    bitLength: (end - at) * 8,
    value,
    meaning: meaning(value),
    rfc,
    complete,
  });
  return value;
}

function extensions(b: Builder, at: number, end: number, hello: "ClientHello" | "ServerHello"): void {
  const listLength = add(
    b,
    "length",
    "extensions length",
    at,
    2,
    (n) => `${n ?? "?"} bytes of extensions follow: everything TLS 1.3 added rides in them`,
    "RFC 8446 §4.1.2",
  );
  at += 2;
  const stop = Math.min(end, at + (listLength ?? 0));
  while (at + 4 <= stop) {
    const type = (b.bytes[at]! << 8) | b.bytes[at + 1]!;
    const length = (b.bytes[at + 2]! << 8) | b.bytes[at + 3]!;
    const name = extensionName(type);
    add(b, "message-header", `${name} extension: type`, at, 2, (n) => `extension type ${n}: ${name}`, "RFC 8446 §4.2");
    add(
      b,
      "length",
      `${name} extension: length`,
      at + 2,
      2,
      (n) => `${n} bytes of ${name} data follow`,
      "RFC 8446 §4.2",
    );
    const about = EXTENSION_MEANING[type];
    add(
      b,
      "field",
      `${name} data`,
      at + 4,
      length,
      () =>
        `${about?.meaning ?? `the ${name} extension's data`}${hello === "ServerHello" && type === 51 ? " (the server's share)" : ""}`,
      about?.rfc ?? "RFC 8446 §4.2",
      false,
    );
    at += 4 + length;
  }
}

function hello(b: Builder, at: number, end: number, kind: "ClientHello" | "ServerHello"): void {
  const client = kind === "ClientHello";
  const rfc = client ? "RFC 8446 §4.1.2" : "RFC 8446 §4.1.3";
  add(
    b,
    "field",
    "legacy_version",
    at,
    2,
    (v) =>
      `${v === null ? "?" : hex4(v)} (${v === null ? "?" : tlsVersionName(v)}): frozen at TLS 1.2 so old servers and middleboxes do not choke; the version really used is in supported_versions`,
    rfc,
  );
  at += 2;
  add(
    b,
    "opaque",
    "random",
    at,
    32,
    () =>
      `32 bytes from the ${client ? "client" : "server"}'s random number generator, mixed into the handshake so no two sessions share keys`,
    rfc,
    false,
  );
  at += 32;
  const sessionLength =
    add(
      b,
      "length",
      client ? "legacy_session_id length" : "legacy_session_id_echo length",
      at,
      1,
      (n) => `${n ?? "?"} bytes of session id follow`,
      rfc,
    ) ?? 0;
  at += 1;
  add(
    b,
    "opaque",
    client ? "legacy_session_id" : "legacy_session_id_echo",
    at,
    sessionLength,
    () =>
      client
        ? "random bytes that make this look like a TLS 1.2 resumption to middleboxes (compatibility mode); TLS 1.3 does not use them"
        : "the client's session id sent back, as compatibility mode asks",
    "RFC 8446 Appendix D.4",
    false,
  );
  at += sessionLength;
  if (client) {
    const suitesLength =
      add(
        b,
        "length",
        "cipher_suites length",
        at,
        2,
        (n) => `${n ?? "?"} bytes: ${n === null ? "?" : n / 2} cipher suites offered, 2 bytes each`,
        rfc,
      ) ?? 0;
    at += 2;
    for (let i = 0; i + 2 <= suitesLength && at + i < end; i += 2) {
      add(
        b,
        "field",
        "cipher suite offered",
        at + i,
        2,
        (s) =>
          s === null
            ? "?"
            : `${hex4(s)}: ${TLS_CIPHER_SUITES[s] ?? (isGrease(s) ? "GREASE, a value offered at random so servers keep ignoring ones they do not know (RFC 8701)" : "a TLS 1.2 suite, offered for servers that cannot speak 1.3")}`,
        rfc,
      );
    }
    at += suitesLength;
    const methods =
      add(b, "length", "legacy_compression_methods length", at, 1, (n) => `${n ?? "?"} byte follows`, rfc) ?? 0;
    at += 1;
    add(
      b,
      "field",
      "legacy_compression_methods",
      at,
      methods,
      () => "0, no compression: a TLS 1.3 ClientHello must carry exactly this one byte",
      rfc,
      false,
    );
    at += methods;
  } else {
    add(
      b,
      "field",
      "cipher_suite",
      at,
      2,
      (s) =>
        s === null
          ? "?"
          : `${hex4(s)}: ${TLS_CIPHER_SUITES[s] ?? "cipher suite"}, chosen by the server from the client's list`,
      rfc,
    );
    at += 2;
    add(
      b,
      "field",
      "legacy_compression_method",
      at,
      1,
      (v) => `${v}: no compression, the only value TLS 1.3 allows`,
      rfc,
    );
    at += 1;
  }
  if (at < end) extensions(b, at, end, kind);
}

function handshake(b: Builder): void {
  let at = TLS_RECORD_HEADER;
  while (at < b.end) {
    const type = b.bytes[at]!;
    const name = TLS_HANDSHAKE_TYPES[type] ?? `handshake type ${type}`;
    add(b, "message-header", "handshake message type", at, 1, (n) => `${n}: ${name}`, "RFC 8446 §4");
    const length = add(
      b,
      "length",
      "handshake message length",
      at + 1,
      3,
      (n) =>
        `${n ?? "?"} bytes of ${name} follow (a message may span records, and one record may hold several messages)`,
      "RFC 8446 §4",
    );
    const bodyStart = at + 4;
    const bodyEnd = length === null ? b.end : Math.min(b.end, bodyStart + length);
    if (type === 1 || type === 2) hello(b, bodyStart, bodyEnd, type === 1 ? "ClientHello" : "ServerHello");
    else
      add(
        b,
        "opaque",
        `${name} body`,
        bodyStart,
        bodyEnd - bodyStart,
        () => `the ${name} message`,
        "RFC 8446 §4",
        false,
      );
    if (length === null) return;
    at = bodyStart + length;
  }
}

/** Names every byte of one TLS record (header included); `bytes` may stop early. */
export function dissectTlsRecord(bytes: Uint8Array): TlsField[] {
  const stated = bytes.length >= TLS_RECORD_HEADER ? (bytes[3]! << 8) | bytes[4]! : 0;
  const b: Builder = {
    fields: [],
    bytes,
    end: bytes.length >= TLS_RECORD_HEADER ? Math.min(bytes.length, TLS_RECORD_HEADER + stated) : bytes.length,
  };
  const type = bytes[0];
  const typeName = type === undefined ? "?" : (TLS_CONTENT_TYPES[type] ?? "not a TLS content type");
  add(
    b,
    "record-header",
    "content type",
    0,
    1,
    (n) =>
      `${n}: ${typeName}${n === 23 ? ". In TLS 1.3 every encrypted record says this, whatever it carries: the real type is encrypted inside (§5.2)" : ""}`,
    "RFC 8446 §5.1",
  );
  add(
    b,
    "record-header",
    "legacy_record_version",
    1,
    2,
    (v) =>
      `${v === null ? "?" : hex4(v)} (${v === null ? "?" : tlsVersionName(v)}): fixed for old middleboxes, ignored by TLS 1.3 (0x0301 is allowed in a first ClientHello)`,
    "RFC 8446 §5.1",
  );
  add(
    b,
    "length",
    "length",
    3,
    2,
    (n) => `${n ?? "?"} bytes of content follow this 5-byte header (at most 2^14, or 2^14 + 256 encrypted)`,
    "RFC 8446 §5.1, §5.2",
  );
  if (b.end <= TLS_RECORD_HEADER) return b.fields;
  const content = b.end - TLS_RECORD_HEADER;
  if (type === 22) handshake(b);
  else if (type === 20)
    add(
      b,
      "field",
      "change_cipher_spec",
      TLS_RECORD_HEADER,
      content,
      (v) =>
        `${v ?? "?"}: a dummy record TLS 1.3 ignores, sent only so middleboxes that expect TLS 1.2 let the connection through`,
      "RFC 8446 Appendix D.4",
    );
  else if (type === 21) {
    add(
      b,
      "field",
      "alert level",
      TLS_RECORD_HEADER,
      1,
      (v) =>
        `${v} (${v === 2 ? "fatal" : v === 1 ? "warning" : "unknown"}): TLS 1.3 ignores this byte, as the description alone says how serious it is`,
      "RFC 8446 §6",
    );
    add(
      b,
      "field",
      "alert description",
      TLS_RECORD_HEADER + 1,
      content - 1,
      (v) => `${v}${v === 0 ? ": close_notify, the sender will send nothing more" : ""}`,
      "RFC 8446 §6",
    );
  } else if (type === 23) {
    const tagStart = TLS_RECORD_HEADER + Math.max(0, stated - AEAD_TAG_BYTES);
    add(
      b,
      "opaque",
      "encrypted_record",
      TLS_RECORD_HEADER,
      tagStart - TLS_RECORD_HEADER,
      () =>
        "ciphertext: the content (a handshake message, an alert, or application data such as WebSocket frames), then its real content type byte, then any zero padding, all encrypted",
      "RFC 8446 §5.2",
      false,
    );
    add(
      b,
      "tag",
      "authentication tag",
      tagStart,
      TLS_RECORD_HEADER + stated - tagStart,
      () =>
        `${AEAD_TAG_BYTES} bytes that prove nobody changed the record (AES-GCM or ChaCha20-Poly1305): the record is refused if a single bit differs`,
      "RFC 8446 §5.2, RFC 5116 §5.1",
      false,
    );
  } else
    add(
      b,
      "opaque",
      "content",
      TLS_RECORD_HEADER,
      content,
      () => "bytes of an unknown content type",
      "RFC 8446 §5.1",
      false,
    );
  return b.fields;
}
