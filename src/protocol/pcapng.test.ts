// The pcapng writer, read back with a small reader of its own: the blocks of the pcapng draft
// (§3.1 layout, §4.1 SHB, §4.2 IDB, §4.3 EPB, §4.7 DSB), then the Ethernet, IP and TCP headers
// inside each packet, checked against RFC 791, RFC 8200, RFC 9293 and RFC 1071.
// (src/server/pcapng-tshark.test.ts has Wireshark itself read what this writes.)
import { describe, expect, it } from "vitest";
import {
  buildPcapng,
  CLIENT_ISN,
  internetChecksum,
  MAX_TCP_PAYLOAD_IPV4,
  MAX_TCP_PAYLOAD_IPV6,
  parseIpAddress,
  PCAPNG_BLOCK_TYPES,
  PCAPNG_SECRETS_TLS_KEY_LOG,
  SERVER_ISN,
  TCP_FLAGS,
  type PcapngConnection,
  type PcapngSegment,
} from "./pcapng.ts";

const T0 = 1_760_000_000_000.25; // ms since the epoch, with a fraction
const te = new TextEncoder();
const v4: PcapngConnection = {
  clientAddress: "127.0.0.1",
  clientPort: 51000,
  serverAddress: "10.1.2.3",
  serverPort: 4321,
};
const v6: PcapngConnection = { clientAddress: "::1", clientPort: 51000, serverAddress: "2001:db8::7", serverPort: 443 };

const conversation: PcapngSegment[] = [
  { dir: "in", t: T0, bytes: te.encode("GET / HTTP/1.1\r\n\r\n") },
  { dir: "out", t: T0 + 1.5, bytes: te.encode("HTTP/1.1 101 Switching Protocols\r\n\r\n") },
  { dir: "in", t: T0 + 2.001, bytes: Uint8Array.of(0x81, 0x83, 1, 2, 3, 4, 0x61, 0x62, 0x63) }, // odd length: checksum padding
  { dir: "out", t: T0 + 3, bytes: Uint8Array.of(0x81, 0x03, 0x61, 0x62, 0x63) },
];

interface Block {
  type: number;
  offset: number;
  length: number;
  trailing: number;
  body: Uint8Array;
}

function blocks(file: Uint8Array): Block[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: Block[] = [];
  for (let at = 0; at < file.length;) {
    const type = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    expect(length % 4, `block at ${at} is a multiple of 4 octets`).toBe(0);
    expect(at + length).toBeLessThanOrEqual(file.length);
    out.push({
      type,
      offset: at,
      length,
      trailing: view.getUint32(at + length - 4, true),
      body: file.subarray(at + 8, at + length - 4),
    });
    at += length;
  }
  return out;
}

/** Options of §3.5: code, value; checks padding and that opt_endofopt ends the list. */
function options(bytes: Uint8Array): [number, Uint8Array][] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: [number, Uint8Array][] = [];
  let at = 0;
  for (;;) {
    const code = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (code === 0) {
      expect(length).toBe(0);
      expect(at + 4).toBe(bytes.length);
      return out;
    }
    out.push([code, bytes.subarray(at + 4, at + 4 + length)]);
    expect(bytes.subarray(at + 4 + length, at + 4 + ((length + 3) & ~3)).every((b) => b === 0)).toBe(true);
    at += 4 + ((length + 3) & ~3);
  }
}

interface Packet {
  us: number;
  inbound: boolean;
  data: Uint8Array;
  ethertype: number;
  ip: Uint8Array;
  src: Uint8Array;
  dst: Uint8Array;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  tcp: Uint8Array;
  payload: Uint8Array;
}

function packets(file: Uint8Array): Packet[] {
  return blocks(file)
    .filter((b) => b.type === PCAPNG_BLOCK_TYPES.enhancedPacket)
    .map((b) => {
      const view = new DataView(b.body.buffer, b.body.byteOffset, b.body.byteLength);
      expect(view.getUint32(0, true)).toBe(0);
      const us = view.getUint32(4, true) * 2 ** 32 + view.getUint32(8, true);
      const captured = view.getUint32(12, true);
      expect(view.getUint32(16, true)).toBe(captured);
      const data = b.body.subarray(20, 20 + captured);
      const [[code, flags]] = options(b.body.subarray(20 + ((captured + 3) & ~3))) as [[number, Uint8Array]];
      expect(code).toBe(2);
      const direction = new DataView(flags.buffer, flags.byteOffset, 4).getUint32(0, true) & 3;
      const d = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const ethertype = d.getUint16(12);
      const ipLength = ethertype === 0x86dd ? 40 : (data[14]! & 0x0f) * 4;
      const ip = data.subarray(14, 14 + ipLength);
      const [src, dst] =
        ethertype === 0x86dd ? [ip.subarray(8, 24), ip.subarray(24, 40)] : [ip.subarray(12, 16), ip.subarray(16, 20)];
      const tcp = data.subarray(14 + ipLength);
      const t = new DataView(tcp.buffer, tcp.byteOffset, tcp.byteLength);
      return {
        us,
        inbound: direction === 1,
        data,
        ethertype,
        ip,
        src,
        dst,
        srcPort: t.getUint16(0),
        dstPort: t.getUint16(2),
        seq: t.getUint32(4),
        ack: t.getUint32(8),
        flags: tcp[13]!,
        window: t.getUint16(14),
        tcp,
        payload: tcp.subarray((tcp[12]! >> 4) * 4),
      };
    });
}

function built(
  connection: PcapngConnection,
  segments: readonly PcapngSegment[],
  opts?: Parameters<typeof buildPcapng>[2],
): Uint8Array {
  const result = buildPcapng(connection, segments, opts);
  if (!result.ok) throw new Error(result.error);
  return result.bytes;
}

/** RFC 9293 §3.1 / RFC 8200 §8.1: the pseudo-header, then the segment, sum to all ones. */
function tcpChecksumHolds(p: Packet): boolean {
  const v6 = p.ethertype === 0x86dd;
  const pseudo = new Uint8Array(v6 ? 40 : 12);
  const view = new DataView(pseudo.buffer);
  pseudo.set(p.src, 0);
  pseudo.set(p.dst, p.src.length);
  if (v6) {
    view.setUint32(32, p.tcp.length);
    pseudo[39] = 6;
  } else {
    pseudo[9] = 6;
    view.setUint16(10, p.tcp.length);
  }
  const all = new Uint8Array(pseudo.length + p.tcp.length);
  all.set(pseudo);
  all.set(p.tcp, pseudo.length);
  return internetChecksum(all) === 0;
}

describe("internetChecksum", () => {
  it("is RFC 1071's example (§3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2)", () => {
    expect(internetChecksum(Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7))).toBe(~0xddf2 & 0xffff);
  });

  it("pads an odd last byte with zero", () => {
    expect(internetChecksum(Uint8Array.of(0x12, 0x34, 0x56))).toBe(~(0x1234 + 0x5600) & 0xffff);
  });
});

describe("parseIpAddress", () => {
  it("reads IPv4 and IPv6, and takes an IPv4-mapped address as the IPv4 it is", () => {
    expect(parseIpAddress("127.0.0.1")).toEqual({ family: 4, bytes: Uint8Array.of(127, 0, 0, 1) });
    expect(parseIpAddress("::1")).toEqual({ family: 6, bytes: Uint8Array.of(...new Array(15).fill(0), 1) });
    expect(parseIpAddress("2001:db8::7")!.bytes).toEqual(
      Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 7),
    );
    expect(parseIpAddress("fe80::1%eth0")!.bytes[0]).toBe(0xfe);
    expect(parseIpAddress("::ffff:127.0.0.1")).toEqual({ family: 4, bytes: Uint8Array.of(127, 0, 0, 1) });
    expect(parseIpAddress("1:2:3:4:5:6:7:8")!.bytes[15]).toBe(8);
  });

  it("refuses what is not an address", () => {
    for (const bad of [
      "",
      "localhost",
      "256.0.0.1",
      "1.2.3",
      "01.2.3.4",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7",
      "12345::1",
      ":::",
    ]) {
      expect(parseIpAddress(bad), bad).toBeNull();
    }
  });
});

describe("buildPcapng: blocks", () => {
  it("is SHB, IDB, then one EPB per packet, each block's length a multiple of 4 and repeated at its end", () => {
    const file = built(v4, conversation);
    const list = blocks(file);
    expect(list.map((b) => b.type)).toEqual([
      PCAPNG_BLOCK_TYPES.sectionHeader,
      PCAPNG_BLOCK_TYPES.interfaceDescription,
      ...new Array(4 + 3 + 3).fill(PCAPNG_BLOCK_TYPES.enhancedPacket),
    ]);
    for (const b of list) expect(b.trailing).toBe(b.length);
    expect(list.reduce((n, b) => n + b.length, 0)).toBe(file.length);
  });

  it("opens with the byte-order magic, version 1.0, an unknown section length and the application's name (§4.1)", () => {
    const shb = blocks(built(v4, conversation, { comment: "lesson 7" }))[0]!;
    expect(Array.from(shb.body.subarray(0, 4))).toEqual([0x4d, 0x3c, 0x2b, 0x1a]); // 0x1A2B3C4D, little-endian
    const view = new DataView(shb.body.buffer, shb.body.byteOffset);
    expect([view.getUint16(4, true), view.getUint16(6, true)]).toEqual([1, 0]);
    expect(shb.body.subarray(8, 16).every((b) => b === 0xff)).toBe(true);
    const opts = options(shb.body.subarray(16));
    expect(opts.map(([code, value]) => [code, new TextDecoder().decode(value)])).toEqual([
      [1, "lesson 7"],
      [4, "Switching Protocols"],
    ]);
  });

  it("describes one Ethernet interface with microsecond timestamps (§4.2)", () => {
    const idb = blocks(built(v4, conversation))[1]!;
    const view = new DataView(idb.body.buffer, idb.body.byteOffset);
    expect(view.getUint16(0, true)).toBe(1); // LINKTYPE_ETHERNET
    expect(view.getUint32(4, true)).toBe(262144);
    expect(options(idb.body.subarray(8))).toEqual([[9, Uint8Array.of(6)]]);
  });

  it("stamps each packet with its segment's time in microseconds, handshake just before and FINs just after (§4.3)", () => {
    const list = packets(built(v4, conversation));
    const first = Math.round(T0 * 1000);
    const last = Math.round((T0 + 3) * 1000);
    expect(list.map((p) => p.us)).toEqual([
      first - 300,
      first - 200,
      first - 100,
      ...conversation.map((s) => Math.round(s.t * 1000)),
      last + 100,
      last + 200,
      last + 300,
    ]);
    expect(list.map((p) => p.inbound)).toEqual([true, false, true, true, false, true, false, false, true, false]);
  });

  it("writes the key log in a Decryption Secrets Block before the first packet, and only when asked (§4.7)", () => {
    expect(blocks(built(v4, conversation)).some((b) => b.type === PCAPNG_BLOCK_TYPES.decryptionSecrets)).toBe(false);
    expect(
      blocks(built(v4, conversation, { keyLog: [] })).some((b) => b.type === PCAPNG_BLOCK_TYPES.decryptionSecrets),
    ).toBe(false);
    const keyLog = ["CLIENT_TRAFFIC_SECRET_0 aa bb", "SERVER_TRAFFIC_SECRET_0 aa c\n"];
    const list = blocks(built(v4, conversation, { keyLog }));
    const index = list.findIndex((b) => b.type === PCAPNG_BLOCK_TYPES.decryptionSecrets);
    expect(index).toBe(2);
    expect(list[index + 1]!.type).toBe(PCAPNG_BLOCK_TYPES.enhancedPacket);
    const dsb = list[index]!;
    const view = new DataView(dsb.body.buffer, dsb.body.byteOffset);
    expect(view.getUint32(0, true)).toBe(PCAPNG_SECRETS_TLS_KEY_LOG);
    expect(new TextDecoder().decode(dsb.body.subarray(0, 4))).toBe("KSLT"); // "TLSK", little-endian
    const length = view.getUint32(4, true);
    expect(new TextDecoder().decode(dsb.body.subarray(8, 8 + length))).toBe(
      "CLIENT_TRAFFIC_SECRET_0 aa bb\nSERVER_TRAFFIC_SECRET_0 aa c\n",
    );
    expect(dsb.body.length).toBe(8 + ((length + 3) & ~3));
    expect(dsb.body.subarray(8 + length).every((b) => b === 0)).toBe(true);
  });

  it("makes the same file from the same recording", () => {
    expect(built(v4, conversation)).toEqual(built(v4, conversation));
  });
});

describe("buildPcapng: packets", () => {
  it("has IPv4 headers with the right lengths and a header checksum that verifies (RFC 791 §3.1)", () => {
    for (const p of packets(built(v4, conversation))) {
      expect(p.ethertype).toBe(0x0800);
      expect(p.ip[0]).toBe(0x45);
      expect(new DataView(p.ip.buffer, p.ip.byteOffset).getUint16(2)).toBe(p.data.length - 14);
      expect(p.ip[9]).toBe(6);
      expect(internetChecksum(p.ip)).toBe(0);
      expect(tcpChecksumHolds(p)).toBe(true);
      expect(p.window).toBe(65535);
    }
  });

  it("breaks when a byte is wrong: the checks above can fail", () => {
    const p = packets(built(v4, conversation))[3]!;
    p.payload[0] = p.payload[0]! ^ 1;
    expect(tcpChecksumHolds(p)).toBe(false);
    p.ip[8] = p.ip[8]! ^ 1;
    expect(internetChecksum(p.ip)).not.toBe(0);
  });

  it("sends the client's packets from its address and port, to the server's MAC, and the server's back", () => {
    const [syn, synAck] = packets(built(v4, conversation));
    expect([Array.from(syn!.src), Array.from(syn!.dst), syn!.srcPort, syn!.dstPort]).toEqual([
      [127, 0, 0, 1],
      [10, 1, 2, 3],
      51000,
      4321,
    ]);
    expect([Array.from(synAck!.src), synAck!.srcPort, synAck!.dstPort]).toEqual([[10, 1, 2, 3], 4321, 51000]);
    expect(Array.from(syn!.data.subarray(0, 12))).toEqual([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]);
  });

  it("opens with SYN, SYN-ACK, ACK and closes with FIN/ACK both ways and a last ACK (RFC 9293 §3.5, §3.6)", () => {
    const list = packets(built(v4, conversation));
    const { syn, ack, psh, fin } = TCP_FLAGS;
    expect(list.map((p) => p.flags)).toEqual([
      syn,
      syn | ack,
      ack,
      psh | ack,
      psh | ack,
      psh | ack,
      psh | ack,
      fin | ack,
      fin | ack,
      ack,
    ]);
    expect(list.slice(7).map((p) => p.inbound)).toEqual([false, true, false]); // the server closes first
    const clientCloses = packets(built(v4, conversation, { closedBy: "client" })).slice(7);
    expect(clientCloses.map((p) => p.inbound)).toEqual([true, false, true]);
  });

  it("advances each side's sequence number by the bytes it sent, and acknowledges the other side's", () => {
    const list = packets(built(v4, conversation));
    const next = { in: CLIENT_ISN, out: SERVER_ISN };
    const [syn, synAck, third] = list;
    expect([syn!.seq, synAck!.seq, synAck!.ack, third!.seq, third!.ack]).toEqual([
      CLIENT_ISN,
      SERVER_ISN,
      CLIENT_ISN + 1,
      CLIENT_ISN + 1,
      SERVER_ISN + 1,
    ]);
    next.in += 1;
    next.out += 1;
    list.slice(3, 7).forEach((p, i) => {
      const segment = conversation[i]!;
      const [mine, theirs] = segment.dir === "in" ? (["in", "out"] as const) : (["out", "in"] as const);
      expect(p.inbound).toBe(segment.dir === "in");
      expect(p.payload).toEqual(segment.bytes);
      expect(p.seq).toBe(next[mine]);
      expect(p.ack).toBe(next[theirs]);
      next[mine] += segment.bytes.length;
    });
    const [serverFin, clientFin, lastAck] = list.slice(7);
    expect([serverFin!.seq, serverFin!.ack]).toEqual([next.out, next.in]);
    expect([clientFin!.seq, clientFin!.ack]).toEqual([next.in, next.out + 1]);
    expect([lastAck!.seq, lastAck!.ack]).toEqual([next.out + 1, next.in + 1]);
  });

  it("cuts a segment too big for one IPv4 packet into several, in order, PSH on the last", () => {
    const big = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 7) & 0xff);
    const list = packets(
      built(v4, [
        { dir: "out", t: T0, bytes: big },
        { dir: "in", t: T0 + 1, bytes: Uint8Array.of(1) },
      ]),
    );
    const data = list.filter((p) => p.payload.length > 0);
    expect(data.map((p) => p.payload.length)).toEqual([
      MAX_TCP_PAYLOAD_IPV4,
      MAX_TCP_PAYLOAD_IPV4,
      150_000 - 2 * MAX_TCP_PAYLOAD_IPV4,
      1,
    ]);
    expect(MAX_TCP_PAYLOAD_IPV4).toBe(65495);
    const joined = new Uint8Array(150_000);
    let at = 0;
    for (const p of data.slice(0, 3)) {
      expect(p.seq).toBe((SERVER_ISN + 1 + at) >>> 0);
      expect(p.us).toBe(Math.round(T0 * 1000));
      joined.set(p.payload, at);
      at += p.payload.length;
      expect(new DataView(p.ip.buffer, p.ip.byteOffset).getUint16(2)).toBeLessThanOrEqual(65535);
      expect(internetChecksum(p.ip)).toBe(0);
      expect(tcpChecksumHolds(p)).toBe(true);
    }
    expect(joined).toEqual(big);
    expect(data.map((p) => p.flags & TCP_FLAGS.psh)).toEqual([0, 0, TCP_FLAGS.psh, TCP_FLAGS.psh]);
    expect(data[3]!.ack).toBe((SERVER_ISN + 1 + 150_000) >>> 0);
  });

  it("writes IPv6 packets for an IPv6 connection (RFC 8200 §3), checksummed over the IPv6 pseudo-header", () => {
    const list = packets(built(v6, conversation));
    for (const p of list) {
      expect(p.ethertype).toBe(0x86dd);
      expect(p.ip[0]! >> 4).toBe(6);
      expect(new DataView(p.ip.buffer, p.ip.byteOffset).getUint16(4)).toBe(p.tcp.length);
      expect(p.ip[6]).toBe(6);
      expect(tcpChecksumHolds(p)).toBe(true);
    }
    expect(list[0]!.src).toEqual(parseIpAddress("::1")!.bytes);
    const big = packets(built(v6, [{ dir: "in", t: T0, bytes: new Uint8Array(70_000) }])).filter(
      (p) => p.payload.length > 0,
    );
    expect(big.map((p) => p.payload.length)).toEqual([MAX_TCP_PAYLOAD_IPV6, 70_000 - MAX_TCP_PAYLOAD_IPV6]);
  });

  it("writes IPv4 for IPv4-mapped IPv6 addresses, as Node reports them on dual-stack sockets", () => {
    const list = packets(
      built({ ...v4, clientAddress: "::ffff:127.0.0.1", serverAddress: "::ffff:127.0.0.2" }, conversation),
    );
    expect(list[0]!.ethertype).toBe(0x0800);
    expect(Array.from(list[0]!.dst)).toEqual([127, 0, 0, 2]);
  });

  it("skips empty segments, and with no bytes at all writes no packets", () => {
    expect(packets(built(v4, [...conversation, { dir: "in", t: T0 + 4, bytes: new Uint8Array(0) }]))).toHaveLength(10);
    const empty = buildPcapng(v4, []);
    expect(empty.ok && empty.packets).toBe(0);
    expect(empty.ok && blocks(empty.bytes).map((b) => b.type)).toEqual([
      PCAPNG_BLOCK_TYPES.sectionHeader,
      PCAPNG_BLOCK_TYPES.interfaceDescription,
    ]);
  });

  it("says what is wrong with a connection it cannot write", () => {
    expect(buildPcapng({ ...v4, clientAddress: "localhost" }, conversation)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/localhost/),
    });
    expect(buildPcapng({ ...v4, serverAddress: "::1" }, conversation)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/IPv4.*IPv6/),
    });
    expect(buildPcapng({ ...v4, serverPort: 70000 }, conversation)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/70000/),
    });
    expect(buildPcapng(v4, [{ dir: "in", t: Number.NaN, bytes: Uint8Array.of(1) }])).toMatchObject({ ok: false });
  });
});
