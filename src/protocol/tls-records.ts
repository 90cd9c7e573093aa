// TLS records as they cross the wire (RFC 8446 §5.1): what a wss:// connection looks like to
// anyone watching the TCP stream. Every record starts with a 5-byte header, readable by all:
// content type, legacy version, length. What follows is readable only until the keys are in
// place: the ClientHello and ServerHello travel in the clear (§4.1.2, §4.1.3), everything after
// them in TLS 1.3 is encrypted and labelled application_data whatever it really holds (§5.2).
//
// Pure: bytes in, descriptions out, for the page and the server alike. Decryption, which needs
// the session's secrets, is the server's (server/tls/).

export const TLS_CONTENT_TYPES: Readonly<Record<number, string>> = {
  20: "change_cipher_spec",
  21: "alert",
  22: "handshake",
  23: "application_data",
};

export const TLS_HANDSHAKE_TYPES: Readonly<Record<number, string>> = {
  1: "ClientHello",
  2: "ServerHello",
  4: "NewSessionTicket",
  5: "EndOfEarlyData",
  8: "EncryptedExtensions",
  11: "Certificate",
  13: "CertificateRequest",
  15: "CertificateVerify",
  20: "Finished",
  24: "KeyUpdate",
};

export const TLS_EXTENSIONS: Readonly<Record<number, string>> = {
  0: "server_name",
  10: "supported_groups",
  11: "ec_point_formats",
  13: "signature_algorithms",
  16: "application_layer_protocol_negotiation",
  22: "encrypt_then_mac",
  23: "extended_master_secret",
  35: "session_ticket",
  41: "pre_shared_key",
  43: "supported_versions",
  45: "psk_key_exchange_modes",
  49: "post_handshake_auth",
  51: "key_share",
  65281: "renegotiation_info",
};

export const TLS_CIPHER_SUITES: Readonly<Record<number, string>> = {
  0x1301: "TLS_AES_128_GCM_SHA256",
  0x1302: "TLS_AES_256_GCM_SHA384",
  0x1303: "TLS_CHACHA20_POLY1305_SHA256",
};

/** The 5 bytes before every record's content (RFC 8446 §5.1). */
export const TLS_RECORD_HEADER = 5;
/** Largest record content TLS allows, encrypted (2^14 + 256, RFC 8446 §5.2). */
export const TLS_MAX_CIPHERTEXT = 16_384 + 256;

/**
 * GREASE (RFC 8701): values like 0x2a2a or 0x4a4a that browsers put among the versions, cipher
 * suites and extensions they offer, at random, so servers keep ignoring values they do not know
 * instead of failing on them.
 */
export function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

const greaseName = (value: number): string => `0x${value.toString(16).padStart(4, "0")} (GREASE, RFC 8701)`;

export function tlsVersionName(version: number): string {
  const names: Record<number, string> = {
    0x0300: "SSL 3.0",
    0x0301: "TLS 1.0",
    0x0302: "TLS 1.1",
    0x0303: "TLS 1.2",
    0x0304: "TLS 1.3",
  };
  return names[version] ?? (isGrease(version) ? greaseName(version) : `0x${version.toString(16).padStart(4, "0")}`);
}

/** A cipher suite's name, GREASE said as such, else its number. */
export function cipherSuiteName(suite: number): string {
  return TLS_CIPHER_SUITES[suite] ?? (isGrease(suite) ? greaseName(suite) : `0x${suite.toString(16).padStart(4, "0")}`);
}

/** An extension's name, GREASE said as such, else its number. */
export function extensionName(type: number): string {
  return TLS_EXTENSIONS[type] ?? (isGrease(type) ? greaseName(type) : `extension ${type}`);
}

export interface TlsRecord {
  /** Offset of the record's first byte in its direction of the TCP stream. */
  offset: number;
  contentType: number;
  legacyVersion: number;
  /** Length of the content after the header. */
  length: number;
  /** The whole record: header and content. */
  bytes: Uint8Array;
}

export type TlsReadResult =
  { ok: true; records: TlsRecord[] } | { ok: false; records: TlsRecord[]; error: string; offset: number };

/** Cuts one direction of a TCP stream into TLS records; bytes may arrive cut anywhere. */
export class TlsRecordReader {
  #pending: Uint8Array = new Uint8Array(0);
  #offset = 0;
  #failed: string | null = null;

  constructor(startOffset = 0) {
    this.#offset = startOffset;
  }

  push(chunk: Uint8Array): TlsReadResult {
    if (this.#failed) return { ok: false, records: [], error: this.#failed, offset: this.#offset };
    const joined = new Uint8Array(this.#pending.length + chunk.length);
    joined.set(this.#pending);
    joined.set(chunk, this.#pending.length);
    const records: TlsRecord[] = [];
    let at = 0;
    while (joined.length - at >= TLS_RECORD_HEADER) {
      const contentType = joined[at]!;
      const legacyVersion = (joined[at + 1]! << 8) | joined[at + 2]!;
      const length = (joined[at + 3]! << 8) | joined[at + 4]!;
      if (!(contentType in TLS_CONTENT_TYPES) || joined[at + 1] !== 0x03 || length > TLS_MAX_CIPHERTEXT) {
        this.#failed = `the bytes at offset ${this.#offset} are not a TLS record header (content type ${contentType}, version 0x${legacyVersion.toString(16).padStart(4, "0")}, length ${length}; RFC 8446 §5.1)`;
        this.#pending = new Uint8Array(0);
        return { ok: false, records, error: this.#failed, offset: this.#offset };
      }
      if (joined.length - at < TLS_RECORD_HEADER + length) break;
      records.push({
        offset: this.#offset,
        contentType,
        legacyVersion,
        length,
        bytes: joined.slice(at, at + TLS_RECORD_HEADER + length),
      });
      at += TLS_RECORD_HEADER + length;
      this.#offset += TLS_RECORD_HEADER + length;
    }
    this.#pending = joined.slice(at);
    return { ok: true, records };
  }
}

export interface HandshakeMessage {
  type: number;
  name: string;
  /** Length of the message body after its 4-byte header (RFC 8446 §4). */
  length: number;
}

/** The handshake messages in a handshake record's content (or a decrypted one's). */
export function handshakeMessages(content: Uint8Array): HandshakeMessage[] {
  const out: HandshakeMessage[] = [];
  let at = 0;
  while (content.length - at >= 4) {
    const type = content[at]!;
    const length = (content[at + 1]! << 16) | (content[at + 2]! << 8) | content[at + 3]!;
    out.push({ type, name: TLS_HANDSHAKE_TYPES[type] ?? `handshake type ${type}`, length });
    at += 4 + length;
  }
  return out;
}

export interface HelloSummary {
  kind: "ClientHello" | "ServerHello";
  /** Cipher suites offered (ClientHello) or chosen (ServerHello), by name where known. */
  cipherSuites: string[];
  /** Extension names, in order. */
  extensions: string[];
  /** The server name the client asked for (SNI, RFC 6066 §3): sent in the clear. */
  serverName: string | null;
  /** TLS versions offered or chosen in supported_versions (RFC 8446 §4.2.1). */
  versions: string[];
}

/** Reads a ClientHello or ServerHello (RFC 8446 §4.1.2, §4.1.3) from a plaintext handshake record's content; null if it is neither or is cut short. */
export function parseHello(content: Uint8Array): HelloSummary | null {
  const type = content[0];
  if (type !== 1 && type !== 2) return null;
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  let at = 4 + 2 + 32; // handshake header, legacy_version, random
  const need = (n: number): boolean => at + n <= content.length;
  if (!need(1)) return null;
  at += 1 + content[at]!; // legacy_session_id(_echo)
  const cipherSuites: string[] = [];
  const suiteName = cipherSuiteName;
  if (type === 1) {
    if (!need(2)) return null;
    const n = view.getUint16(at);
    at += 2;
    if (!need(n)) return null;
    for (let i = 0; i < n; i += 2) cipherSuites.push(suiteName(view.getUint16(at + i)));
    at += n;
    if (!need(1)) return null;
    at += 1 + content[at]!; // legacy_compression_methods
  } else {
    if (!need(3)) return null;
    cipherSuites.push(suiteName(view.getUint16(at)));
    at += 3; // cipher_suite, legacy_compression_method
  }
  if (!need(2)) return null;
  const end = at + 2 + view.getUint16(at);
  at += 2;
  if (end > content.length) return null;
  const extensions: string[] = [];
  let serverName: string | null = null;
  const versions: string[] = [];
  while (at + 4 <= end) {
    const extType = view.getUint16(at);
    const extLength = view.getUint16(at + 2);
    const body = content.subarray(at + 4, at + 4 + extLength);
    extensions.push(extensionName(extType));
    if (extType === 0 && body.length >= 5) {
      const nameLength = (body[3]! << 8) | body[4]!;
      serverName = new TextDecoder().decode(body.subarray(5, 5 + nameLength));
    }
    if (extType === 43) {
      if (type === 1)
        for (let i = 1; i + 1 < body.length; i += 2) versions.push(tlsVersionName((body[i]! << 8) | body[i + 1]!));
      else if (body.length >= 2) versions.push(tlsVersionName((body[0]! << 8) | body[1]!));
    }
    at += 4 + extLength;
  }
  return { kind: type === 1 ? "ClientHello" : "ServerHello", cipherSuites, extensions, serverName, versions };
}

/** The record header, field by field, as the page explains it. */
export function explainRecordHeader(record: TlsRecord): string[] {
  const type = TLS_CONTENT_TYPES[record.contentType] ?? String(record.contentType);
  return [
    `Content type ${record.contentType}: ${type} (RFC 8446 §5.1)${record.contentType === 23 ? ". In TLS 1.3 every encrypted record says application_data, whatever it holds: the real type is inside, encrypted (§5.2)" : ""}.`,
    `Legacy version 0x${record.legacyVersion.toString(16).padStart(4, "0")} (${tlsVersionName(record.legacyVersion)}): fixed for old middleboxes; the version really used is agreed in the supported_versions extension (RFC 8446 §5.1, §4.2.1).`,
    `Length ${record.length}: the bytes of content after this 5-byte header.`,
  ];
}
