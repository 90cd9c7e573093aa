// A recording as a pcapng capture file, so Wireshark (or tshark) opens what the lab saw and
// decodes the same HTTP upgrade and WebSocket frames (RFC 6455 §5.2) with its own dissectors.
// The lab records TCP payloads, not packets, so the packets are made up around them: Ethernet II
// with fixed locally administered MACs, IPv4 (RFC 791 §3.1) or IPv6 (RFC 8200 §3), and TCP
// (RFC 9293 §3.1) with a three-way handshake before the first byte (§3.5), sequence and
// acknowledgment numbers that advance by the bytes each side sent, PSH|ACK on data, a FIN
// exchange after the last byte, and correct checksums (RFC 1071; the TCP pseudo-header of
// RFC 9293 §3.1 and RFC 8200 §8.1). A recording's chunk larger than one IP packet can carry
// is cut into several packets.
//
// The file layout is the IETF draft "PCAP Next Generation (pcapng) Capture File Format"
// (draft-ietf-opsawg-pcapng, retitled "PCAP Now Generic" from -04; the section numbers here are
// those of the current text): blocks of §3.1 (type, total length, body padded to 32 bits, the
// length again), options of §3.5 (type, length, value padded to 32 bits, opt_endofopt last), a
// Section Header Block (§4.1), one Interface Description Block (§4.2, LINKTYPE_ETHERNET,
// microsecond timestamps), then Enhanced Packet Blocks (§4.3, with the direction in the flags
// word, §4.3.1). A TLS capture can carry its session secrets in a Decryption Secrets Block (§4.7,
// the NSS key log format), placed before the first packet, so Wireshark decrypts the records
// with no key log file of its own. Little-endian throughout, as the byte-order magic says.
//
// Pure: bytes in, bytes out, for the page (a download) and the server alike.
import { concatBytes } from "./bytes.ts";
import type { Direction, FourTuple } from "./tap-events.ts";

/** One TCP read ("in", client → server) or write ("out", server → client), as recorded. */
export interface PcapngSegment {
  dir: Direction;
  /** Milliseconds since the Unix epoch, with sub-millisecond precision. */
  t: number;
  bytes: Uint8Array;
}

/** The connection's addresses: IPv4 dotted quads, or IPv6 text (an IPv4-mapped address is IPv4). */
export type PcapngConnection = FourTuple;

export interface PcapngOptions {
  /** NSS key log lines (e.g. "CLIENT_TRAFFIC_SECRET_0 <random> <secret>"); written to a Decryption Secrets Block when there are any. */
  keyLog?: readonly string[];
  /** A comment on the section (opt_comment), shown by Wireshark's capture file properties. */
  comment?: string;
  /** Who sends the first FIN. A WebSocket server closes TCP first (RFC 6455 §7.1.1), so by default the server. */
  closedBy?: "client" | "server";
}

export type PcapngResult = { ok: true; bytes: Uint8Array; packets: number } | { ok: false; error: string };

export const PCAPNG_BLOCK_TYPES = {
  sectionHeader: 0x0a0d0d0a,
  interfaceDescription: 0x00000001,
  enhancedPacket: 0x00000006,
  decryptionSecrets: 0x0000000a,
} as const;

export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Secrets type of a Decryption Secrets Block holding an NSS key log: "TLSK" (§4.7). */
export const PCAPNG_SECRETS_TLS_KEY_LOG = 0x544c534b;
export const LINKTYPE_ETHERNET = 1;
/** The IDB's snapshot length: the largest frame it could hold; every frame here is smaller. */
export const PCAPNG_SNAPLEN = 262144;
/** The application name written in the Section Header Block (shb_userappl). */
export const PCAPNG_USER_APPLICATION = "Switching Protocols";

/** TCP payload bytes that fit in one packet: the 16-bit IPv4 total length less 20 + 20 header bytes. */
export const MAX_TCP_PAYLOAD_IPV4 = 65535 - 20 - 20;
/** IPv6's 16-bit payload length does not count its own 40-byte header, only TCP's 20. */
export const MAX_TCP_PAYLOAD_IPV6 = 65535 - 20;

/** Locally administered (the 0x02 bit of the first octet), unicast: no real vendor's MACs. */
export const CLIENT_MAC = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x01);
export const SERVER_MAC = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x02);

/** Initial sequence numbers (RFC 9293 §3.4.1); fixed, so the same recording makes the same file. */
export const CLIENT_ISN = 0x53500000;
export const SERVER_ISN = 0x57530000;

export const TCP_FLAGS = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10 } as const;

const OPTION = { endOfOptions: 0, comment: 1, userApplication: 4, tsResolution: 9, epbFlags: 2 } as const;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const IP_PROTOCOL_TCP = 6;
const TTL = 64;
const WINDOW = 65535;
/** Where handshake packets go before the first segment and FIN packets after the last: 0.1 ms apart. */
const STEP_US = 100;

export type IpAddress = { family: 4 | 6; bytes: Uint8Array };

/** Parses IPv4 ("127.0.0.1") or IPv6 ("::1", "fe80::1%eth0", "::ffff:127.0.0.1"); an IPv4-mapped IPv6 address comes back as IPv4, which is what crossed the wire (RFC 4291 §2.5.5.2). */
export function parseIpAddress(text: string): IpAddress | null {
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIpv6(text.replace(/%.*$/, ""));
  if (!v6) return null;
  const mapped = v6.subarray(0, 12).every((b, i) => b === (i < 10 ? 0 : 0xff));
  return mapped ? { family: 4, bytes: v6.slice(12) } : { family: 6, bytes: v6 };
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return null;
  return Uint8Array.from(parts, Number);
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === "") return [];
    const out: number[] = [];
    const pieces = part.split(":");
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes(".")) {
        const v4 = parseIpv4(piece);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/** The 16-bit ones' complement of the ones' complement sum (RFC 1071), with `initial` already summed (a pseudo-header). */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (bytes.length & 1) sum += bytes[bytes.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** Sum of 16-bit words of the TCP pseudo-header (RFC 9293 §3.1 for IPv4, RFC 8200 §8.1 for IPv6). */
function pseudoHeaderSum(src: IpAddress, dst: IpAddress, tcpLength: number): number {
  let sum = 0;
  for (const address of [src.bytes, dst.bytes]) {
    for (let i = 0; i < address.length; i += 2) sum += (address[i]! << 8) | address[i + 1]!;
  }
  // IPv4: zero, protocol, 16-bit TCP length. IPv6: 32-bit length, three zeros, next header.
  return sum + IP_PROTOCOL_TCP + (tcpLength & 0xffff) + Math.floor(tcpLength / 0x10000);
}

interface TcpPacket {
  fromClient: boolean;
  seq: number;
  ack: number;
  flags: number;
  payload: Uint8Array;
  /** Microseconds since the epoch. */
  us: number;
}

interface Endpoints {
  client: IpAddress;
  server: IpAddress;
  clientPort: number;
  serverPort: number;
}

/** Ethernet II + IPv4/IPv6 + TCP around one payload, checksums filled in. */
function frame(packet: TcpPacket, ends: Endpoints, ipId: number): Uint8Array {
  const v6 = ends.client.family === 6;
  const ipLength = v6 ? 40 : 20;
  const tcpLength = 20 + packet.payload.length;
  const out = new Uint8Array(14 + ipLength + tcpLength);
  const view = new DataView(out.buffer);
  const [src, dst] = packet.fromClient ? [ends.client, ends.server] : [ends.server, ends.client];
  const [srcPort, dstPort] = packet.fromClient
    ? [ends.clientPort, ends.serverPort]
    : [ends.serverPort, ends.clientPort];

  out.set(packet.fromClient ? SERVER_MAC : CLIENT_MAC, 0);
  out.set(packet.fromClient ? CLIENT_MAC : SERVER_MAC, 6);
  view.setUint16(12, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);

  const ip = 14;
  if (v6) {
    view.setUint32(ip, 0x60000000); // version 6, traffic class 0, flow label 0
    view.setUint16(ip + 4, tcpLength);
    out[ip + 6] = IP_PROTOCOL_TCP;
    out[ip + 7] = TTL;
    out.set(src.bytes, ip + 8);
    out.set(dst.bytes, ip + 24);
  } else {
    out[ip] = 0x45; // version 4, 5 words of header
    view.setUint16(ip + 2, ipLength + tcpLength);
    view.setUint16(ip + 4, ipId & 0xffff);
    view.setUint16(ip + 6, 0x4000); // Don't Fragment
    out[ip + 8] = TTL;
    out[ip + 9] = IP_PROTOCOL_TCP;
    out.set(src.bytes, ip + 12);
    out.set(dst.bytes, ip + 16);
    view.setUint16(ip + 10, internetChecksum(out.subarray(ip, ip + 20)));
  }

  const tcp = ip + ipLength;
  view.setUint16(tcp, srcPort);
  view.setUint16(tcp + 2, dstPort);
  view.setUint32(tcp + 4, packet.seq >>> 0);
  view.setUint32(tcp + 8, packet.flags & TCP_FLAGS.ack ? packet.ack >>> 0 : 0);
  out[tcp + 12] = 5 << 4; // data offset: 5 words, no options
  out[tcp + 13] = packet.flags;
  view.setUint16(tcp + 14, WINDOW);
  out.set(packet.payload, tcp + 20);
  view.setUint16(tcp + 16, internetChecksum(out.subarray(tcp), pseudoHeaderSum(src, dst, tcpLength)));
  return out;
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** A block of §3.1: type, total length, body (padded here), total length again. */
function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + pad4(body.length);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  out.set(body, 8);
  view.setUint32(total - 4, total, true);
  return out;
}

/** Options of §3.5, each padded to 32 bits, ended by opt_endofopt; nothing at all when there are none. */
function options(list: readonly (readonly [code: number, value: Uint8Array])[]): Uint8Array {
  if (list.length === 0) return new Uint8Array(0);
  const out = new Uint8Array(list.reduce((n, [, v]) => n + 4 + pad4(v.length), 4));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [code, value] of list) {
    view.setUint16(at, code, true);
    view.setUint16(at + 2, value.length, true);
    out.set(value, at + 4);
    at += 4 + pad4(value.length);
  }
  view.setUint32(at, OPTION.endOfOptions, true); // opt_endofopt, length 0
  return out;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function sectionHeader(comment: string | undefined): Uint8Array {
  const fixed = new Uint8Array(16);
  const view = new DataView(fixed.buffer);
  view.setUint32(0, PCAPNG_BYTE_ORDER_MAGIC, true);
  view.setUint16(4, 1, true); // major version
  view.setUint16(6, 0, true); // minor version
  view.setInt32(8, -1, true); // section length: -1, not given (64 bits of ones)
  view.setInt32(12, -1, true);
  const list: [number, Uint8Array][] = [];
  if (comment) list.push([OPTION.comment, utf8(comment)]);
  list.push([OPTION.userApplication, utf8(PCAPNG_USER_APPLICATION)]);
  return block(PCAPNG_BLOCK_TYPES.sectionHeader, concatBytes([fixed, options(list)]));
}

function interfaceDescription(): Uint8Array {
  const fixed = new Uint8Array(8);
  const view = new DataView(fixed.buffer);
  view.setUint16(0, LINKTYPE_ETHERNET, true);
  view.setUint32(4, PCAPNG_SNAPLEN, true);
  // if_tsresol 6: timestamps count 10^-6 s (the default, written anyway to say so).
  return block(
    PCAPNG_BLOCK_TYPES.interfaceDescription,
    concatBytes([fixed, options([[OPTION.tsResolution, Uint8Array.of(6)]])]),
  );
}

function decryptionSecrets(keyLog: readonly string[]): Uint8Array {
  const secrets = utf8(keyLog.map((line) => line.replace(/[\r\n]+$/, "")).join("\n") + "\n");
  const body = new Uint8Array(8 + pad4(secrets.length));
  const view = new DataView(body.buffer);
  view.setUint32(0, PCAPNG_SECRETS_TLS_KEY_LOG, true);
  view.setUint32(4, secrets.length, true);
  body.set(secrets, 8);
  return block(PCAPNG_BLOCK_TYPES.decryptionSecrets, body);
}

function enhancedPacket(data: Uint8Array, us: number, inbound: boolean): Uint8Array {
  const fixed = new Uint8Array(20 + pad4(data.length));
  const view = new DataView(fixed.buffer);
  view.setUint32(0, 0, true); // interface 0
  view.setUint32(4, Math.floor(us / 2 ** 32), true);
  view.setUint32(8, us >>> 0, true);
  view.setUint32(12, data.length, true); // captured length
  view.setUint32(16, data.length, true); // original length
  fixed.set(data, 20);
  // epb_flags (§4.3.1): bits 0-1 are the direction, 01 inbound and 10 outbound, as the server sees it.
  const flags = new Uint8Array(4);
  new DataView(flags.buffer).setUint32(0, inbound ? 1 : 2, true);
  return block(PCAPNG_BLOCK_TYPES.enhancedPacket, concatBytes([fixed, options([[OPTION.epbFlags, flags]])]));
}

/** The TCP packets of the whole connection: handshake, data (cut to fit), FIN exchange. */
function tcpPackets(
  segments: readonly PcapngSegment[],
  maxPayload: number,
  closedBy: "client" | "server",
): TcpPacket[] {
  const data = segments.filter((s) => s.bytes.length > 0);
  if (data.length === 0) return [];
  const toUs = (t: number): number => Math.max(0, Math.round(t * 1000));
  const first = toUs(data[0]!.t);
  const last = toUs(data[data.length - 1]!.t);
  let client = CLIENT_ISN;
  let server = SERVER_ISN;
  const { syn, ack, psh, fin } = TCP_FLAGS;
  const packets: TcpPacket[] = [
    {
      fromClient: true,
      seq: client,
      ack: 0,
      flags: syn,
      payload: new Uint8Array(0),
      us: Math.max(0, first - 3 * STEP_US),
    },
    {
      fromClient: false,
      seq: server,
      ack: client + 1,
      flags: syn | ack,
      payload: new Uint8Array(0),
      us: Math.max(0, first - 2 * STEP_US),
    },
    {
      fromClient: true,
      seq: client + 1,
      ack: server + 1,
      flags: ack,
      payload: new Uint8Array(0),
      us: Math.max(0, first - STEP_US),
    },
  ];
  client += 1;
  server += 1;
  for (const segment of data) {
    const fromClient = segment.dir === "in";
    for (let at = 0; at < segment.bytes.length; at += maxPayload) {
      const payload = segment.bytes.subarray(at, at + maxPayload);
      const lastPiece = at + maxPayload >= segment.bytes.length;
      packets.push({
        fromClient,
        seq: fromClient ? client : server,
        ack: fromClient ? server : client,
        flags: lastPiece ? psh | ack : ack,
        payload,
        us: toUs(segment.t),
      });
      if (fromClient) client += payload.length;
      else server += payload.length;
    }
  }
  const clientFirst = closedBy === "client";
  const closing = [clientFirst, !clientFirst];
  closing.forEach((fromClient, i) => {
    packets.push({
      fromClient,
      seq: fromClient ? client : server,
      ack: fromClient ? server : client,
      flags: fin | ack,
      payload: new Uint8Array(0),
      us: last + (i + 1) * STEP_US,
    });
    if (fromClient) client += 1;
    else server += 1;
  });
  packets.push({
    fromClient: clientFirst,
    seq: clientFirst ? client : server,
    ack: clientFirst ? server : client,
    flags: ack,
    payload: new Uint8Array(0),
    us: last + 3 * STEP_US,
  });
  return packets;
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port <= 0xffff;
}

/**
 * The pcapng file of one TCP connection whose payloads are `segments`, in the order given
 * (their times are the packets' timestamps; handshake packets go 0.3, 0.2 and 0.1 ms before the
 * first, FIN packets as far after the last). With no payload at all there are no packets.
 */
export function buildPcapng(
  connection: PcapngConnection,
  segments: readonly PcapngSegment[],
  options: PcapngOptions = {},
): PcapngResult {
  const client = parseIpAddress(connection.clientAddress);
  const server = parseIpAddress(connection.serverAddress);
  if (!client) return { ok: false, error: `"${connection.clientAddress}" is not an IPv4 or IPv6 address` };
  if (!server) return { ok: false, error: `"${connection.serverAddress}" is not an IPv4 or IPv6 address` };
  if (client.family !== server.family) {
    return {
      ok: false,
      error: `one connection cannot run from IPv${client.family} ${connection.clientAddress} to IPv${server.family} ${connection.serverAddress}`,
    };
  }
  for (const port of [connection.clientPort, connection.serverPort]) {
    if (!validPort(port)) return { ok: false, error: `port ${port} is not a TCP port (1–65535)` };
  }
  for (const segment of segments) {
    if (!Number.isFinite(segment.t))
      return { ok: false, error: `a segment's time ${segment.t} is not a number of milliseconds` };
  }
  const ends: Endpoints = { client, server, clientPort: connection.clientPort, serverPort: connection.serverPort };
  const maxPayload = client.family === 6 ? MAX_TCP_PAYLOAD_IPV6 : MAX_TCP_PAYLOAD_IPV4;
  const packets = tcpPackets(segments, maxPayload, options.closedBy ?? "server");

  const blocks: Uint8Array[] = [sectionHeader(options.comment), interfaceDescription()];
  if (options.keyLog && options.keyLog.length > 0) blocks.push(decryptionSecrets(options.keyLog));
  const ipIds = { client: 0, server: 0 };
  for (const packet of packets) {
    const id = packet.fromClient ? ipIds.client++ : ipIds.server++;
    blocks.push(enhancedPacket(frame(packet, ends, id), packet.us, packet.fromClient));
  }
  return { ok: true, bytes: concatBytes(blocks), packets: packets.length };
}
