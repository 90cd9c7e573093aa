// Wireshark reads the lab's pcapng files as the lab reads its own bytes. A real conversation with
// the production lab (and lesson 7's wss:// twin, with its TLS secrets embedded) becomes a
// pcapng file (protocol/pcapng.ts); tshark decodes it, and every WebSocket frame it shows must
// equal, field for field, the frame the project's own FrameDecoder reads from the recorded
// bytes: direction, FIN, opcode, MASK, masking key, payload length, the payload as it crossed the
// wire and the payload unmasked (RFC 6455 §5.2, §5.3).
//
// tshark is required, not optional: without it these tests fail and say how to install it.
// Fields come from `-T json --no-duplicate-keys -x`: `-T fields` prints websocket.payload (an
// FT_NONE field) as "1" and joins the fields of several frames in one packet into one row, while
// the JSON gives one object per frame and each field's bytes (`*_raw`, hex).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeClosePayload } from "../protocol/close-payload.ts";
import { encodeFrame } from "../protocol/frame-encode.ts";
import { FrameDecoder } from "../protocol/frame-decoder.ts";
import { buildPcapng, type PcapngConnection, type PcapngSegment } from "../protocol/pcapng.ts";
import { createLab } from "./lab.ts";
import { defaultLabSettings } from "./settings.ts";
import { startSite, upgradeRequest, type Running } from "./test-helpers.ts";
import { labCertificate } from "./tls/lab-certificate.ts";
import { runTlsTwin } from "./tls/tls-twin.ts";

const run = promisify(execFile);
const now = (): number => performance.timeOrigin + performance.now();
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

async function tshark(args: string[]): Promise<string> {
  try {
    const { stdout } = await run("tshark", args, { maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        "tshark is not installed, and these tests need Wireshark's own decoder: install it (Debian/Ubuntu: `apt-get install -y tshark`) and run them again.",
        { cause: error },
      );
    }
    throw error;
  }
}

/** One WebSocket frame as both sides see it: the fields RFC 6455 §5.2 puts on the wire. */
interface FrameRow {
  dir: "in" | "out";
  fin: boolean;
  opcode: number;
  mask: boolean;
  /** Hex, "" when unmasked. */
  maskingKey: string;
  payloadLength: number;
  /** The payload as it crossed the wire (masked when MASK is set), hex. */
  wire: string;
  /** The application's bytes, unmasked, hex. */
  payload: string;
}

type JsonLayer = Record<string, unknown>;
const field = (layer: JsonLayer, name: string): string | undefined => layer[name] as string | undefined;
const rawHex = (layer: JsonLayer, name: string): string => (layer[`${name}_raw`] as [string] | undefined)?.[0] ?? "";
const isTrue = (value: string | undefined): boolean => value === "1" || value === "True" || value === "true";

/** Every WebSocket frame tshark decodes, in packet order, with the fields above. */
async function tsharkFrames(file: string, clientPort: number, decodeAs: string[]): Promise<FrameRow[]> {
  const out = await tshark([
    "-r",
    file,
    ...decodeAs,
    "-Y",
    "websocket",
    "-T",
    "json",
    "--no-duplicate-keys",
    "-x",
    "-J",
    "tcp websocket",
  ]);
  const packets = JSON.parse(out) as { _source: { layers: Record<string, JsonLayer | JsonLayer[]> } }[];
  return packets.flatMap((packet) => {
    const layers = packet._source.layers;
    const tcp = layers.tcp as JsonLayer;
    const dir = Number(field(tcp, "tcp.srcport")) === clientPort ? "in" : "out";
    const frames = layers.websocket!;
    return (Array.isArray(frames) ? frames : [frames]).map((ws): FrameRow => {
      const mask = isTrue(field(ws, "websocket.mask"));
      const payload = rawHex(ws, "websocket.payload");
      return {
        dir,
        fin: isTrue(field(ws, "websocket.fin")),
        opcode: Number(field(ws, "websocket.opcode")),
        mask,
        maskingKey: rawHex(ws, "websocket.masking_key"),
        payloadLength: Number(
          field(ws, "websocket.payload_length_ext_64") ??
            field(ws, "websocket.payload_length_ext_16") ??
            field(ws, "websocket.payload_length"),
        ),
        wire: mask ? rawHex(ws, "websocket.masked_payload") : payload,
        payload,
      };
    });
  });
}

/**
 * The frames FrameDecoder reads from the recorded segments, after each direction's HTTP head,
 * in the order the segments that completed them were recorded (the packet order tshark reports).
 */
function projectFrames(segments: readonly PcapngSegment[]): FrameRow[] {
  const rows: FrameRow[] = [];
  const sides = {
    in: { decoder: new FrameDecoder({ direction: "client-to-server" }), head: Buffer.alloc(0), upgraded: false },
    out: { decoder: new FrameDecoder({ direction: "server-to-client" }), head: Buffer.alloc(0), upgraded: false },
  };
  for (const segment of segments) {
    const side = sides[segment.dir];
    let bytes: Uint8Array = segment.bytes;
    if (!side.upgraded) {
      side.head = Buffer.concat([side.head, segment.bytes]);
      const end = side.head.indexOf("\r\n\r\n");
      if (end < 0) continue;
      side.upgraded = true;
      bytes = side.head.subarray(end + 4);
    }
    for (const event of side.decoder.push(bytes)) {
      if (event.kind === "error") throw new Error(`${segment.dir}: ${event.error.error}`);
      const f = event.frame;
      rows.push({
        dir: segment.dir,
        fin: f.fin,
        opcode: f.opcode,
        mask: f.masked,
        maskingKey: f.maskingKey ? hex(f.maskingKey) : "",
        payloadLength: f.payloadLength,
        wire: hex(f.raw.subarray(f.headerLength)),
        payload: hex(f.payload),
      });
    }
  }
  return rows;
}

const segmentsOf = (chunks: readonly { dir: "in" | "out"; t: number; data: string }[]): PcapngSegment[] =>
  chunks.map((c) => ({ dir: c.dir, t: c.t, bytes: new Uint8Array(Buffer.from(c.data, "base64")) }));

async function writePcapng(
  dir: string,
  name: string,
  connection: PcapngConnection,
  segments: readonly PcapngSegment[],
  keyLog?: readonly string[],
): Promise<string> {
  const built = buildPcapng(connection, segments, keyLog ? { keyLog } : {});
  if (!built.ok) throw new Error(built.error);
  const file = join(dir, name);
  await writeFile(file, built.bytes);
  return file;
}

let dir: string;
let running: Running | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sp-pcapng-"));
});
afterEach(async () => {
  await running?.stop();
  running = null;
  await rm(dir, { recursive: true, force: true });
});

/** Talks to /lab/echo over a raw socket and records every chunk written and read, until the server closes. */
async function echoConversation(
  port: number,
  origin: string,
): Promise<{ connection: PcapngConnection; segments: PcapngSegment[] }> {
  const segments: PcapngSegment[] = [];
  const socket: Socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const connection: PcapngConnection = {
    clientAddress: socket.localAddress!,
    clientPort: socket.localPort!,
    serverAddress: socket.remoteAddress!,
    serverPort: socket.remotePort!,
  };
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const decoder = new FrameDecoder({ direction: "server-to-client" });
  let head = Buffer.alloc(0);
  let upgraded = false;
  let framesIn = 0;
  let waiters: (() => void)[] = [];
  /** Resolves once `done()` holds, checked again after every read. */
  const until = (done: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => void (done() ? resolve() : waiters.push(check));
      check();
    });
  socket.on("data", (chunk: Buffer) => {
    segments.push({ dir: "out", t: now(), bytes: new Uint8Array(chunk) });
    let bytes: Buffer = chunk;
    if (!upgraded) {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end >= 0) {
        upgraded = true;
        bytes = head.subarray(end + 4);
      }
    }
    if (upgraded) for (const event of decoder.push(bytes)) if (event.kind === "frame") framesIn++;
    const pending = waiters;
    waiters = [];
    for (const check of pending) check();
  });
  const write = (bytes: Uint8Array): void => {
    segments.push({ dir: "in", t: now(), bytes });
    socket.write(bytes);
  };
  const key = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);
  const frame = (opcode: number, payload: Uint8Array): Uint8Array => {
    const encoded = encodeFrame({ opcode, payload, maskingKey: key });
    if (!encoded.ok) throw new Error(encoded.error);
    return encoded.bytes;
  };
  /** Sends one masked frame and waits for the server's answer (the echo, or the pong). */
  const exchange = async (opcode: number, payload: Uint8Array): Promise<void> => {
    const before = framesIn;
    write(frame(opcode, payload));
    await until(() => framesIn > before);
  };

  write(new TextEncoder().encode(upgradeRequest("/lab/echo", { Host: `127.0.0.1:${port}`, Origin: origin })));
  await until(() => upgraded);
  expect(head.subarray(0, 12).toString("latin1")).toBe("HTTP/1.1 101");
  await exchange(0x1, new TextEncoder().encode("Hello"));
  await exchange(
    0x2,
    Uint8Array.from({ length: 300 }, (_, i) => (i * 31 + 7) & 0xff),
  );
  await exchange(0x9, new TextEncoder().encode("are you there?"));
  write(frame(0x8, encodeClosePayload(1000, "")));
  await closed;
  return { connection, segments };
}

describe("tshark reads the lab's pcapng", () => {
  it("decodes a real ws:// conversation with /lab/echo to the very frames FrameDecoder reads, both ways", async () => {
    running = await startSite();
    const { connection, segments } = await echoConversation(running.port, running.origin);
    const file = await writePcapng(dir, "echo.pcapng", connection, segments);

    const expected = projectFrames(segments);
    expect(expected.filter((f) => f.dir === "in").map((f) => f.opcode)).toEqual([0x1, 0x2, 0x9, 0x8]);
    expect(expected.filter((f) => f.dir === "out").map((f) => f.opcode)).toEqual([0x1, 0x2, 0xa, 0x8]);
    expect(expected.find((f) => f.opcode === 0x2 && f.dir === "in")).toMatchObject({
      mask: true,
      maskingKey: "37fa213d",
      payloadLength: 300,
    });

    const seen = await tsharkFrames(file, connection.clientPort, ["-d", `tcp.port==${connection.serverPort},http`]);
    expect(seen.length).toBe(expected.length);
    expect(seen.length).toBeGreaterThanOrEqual(8);
    expect(seen).toEqual(expected);

    // The handshake as HTTP, and nothing Wireshark would flag: checksums (validated), TCP analysis, malformed packets.
    const http = await tshark([
      "-r",
      file,
      "-d",
      `tcp.port==${connection.serverPort},http`,
      "-Y",
      "http",
      "-T",
      "fields",
      "-e",
      "http.request.method",
      "-e",
      "http.response.code",
    ]);
    expect(http.trim().split("\n")).toEqual(["GET\t", "\t101"]);
    const flagged = await tshark([
      "-r",
      file,
      "-o",
      "ip.check_checksum:TRUE",
      "-o",
      "tcp.check_checksum:TRUE",
      "-Y",
      "_ws.expert.severity >= warning || _ws.malformed || tcp.analysis.flags || ip.checksum.status != 1 || tcp.checksum.status != 1",
    ]);
    expect(flagged.trim()).toBe("");
    const conversation = await tshark(["-r", file, "-T", "fields", "-e", "tcp.flags.str", "-e", "tcp.len"]);
    const lines = conversation.trim().split("\n");
    expect(lines.slice(0, 3).map((l) => l.split("\t")[0]!.replace(/·/g, ""))).toEqual(["S", "AS", "A"]);
    expect(lines.slice(-3).map((l) => l.split("\t")[0]!.replace(/·/g, ""))).toEqual(["AF", "AF", "A"]);
  });

  it("decrypts the wss:// twin with the key log embedded in the file, to the same frames as the ws:// twin", async () => {
    const certificate = await labCertificate({ dir });
    const twin = await runTlsTwin(defaultLabSettings, createLab, certificate);
    expect(twin.wss.problem).toBeNull();
    const tuple = twin.wss.tuple!;
    const segments = segmentsOf(twin.wss.chunks);
    const file = await writePcapng(dir, "wss.pcapng", tuple, segments, twin.wss.keyLog);
    const decodeAs = ["-d", `tcp.port==${tuple.serverPort},tls`, "-d", `tls.port==${tuple.serverPort},http`];

    // What the ws:// twin sent in the clear: the frames the TLS records must hold.
    const expected = projectFrames(segmentsOf(twin.ws.chunks));
    expect(expected.map((f) => [f.dir, f.opcode])).toEqual([
      ["in", 0x1],
      ["out", 0x1],
      ["in", 0x8],
      ["out", 0x8],
    ]);
    expect(expected[0]).toMatchObject({
      maskingKey: twin.maskingKey,
      payload: hex(new TextEncoder().encode(twin.message)),
    });

    const seen = await tsharkFrames(file, tuple.clientPort, decodeAs);
    expect(seen).toEqual(expected);

    const http = await tshark([
      "-r",
      file,
      ...decodeAs,
      "-Y",
      "http",
      "-T",
      "fields",
      "-e",
      "http.request.method",
      "-e",
      "http.response.code",
    ]);
    expect(http.trim().split("\n")).toEqual(["GET\t", "\t101"]);
    const tls = await tshark([
      "-r",
      file,
      ...decodeAs,
      "-Y",
      "tls.handshake.type == 1",
      "-T",
      "fields",
      "-e",
      "tls.handshake.extensions_server_name",
    ]);
    expect(tls.trim()).toBe("localhost");

    // Without the Decryption Secrets Block the same packets stay sealed: the secrets come from the file.
    const sealed = await writePcapng(dir, "sealed.pcapng", tuple, segments);
    expect(await tsharkFrames(sealed, tuple.clientPort, decodeAs)).toEqual([]);
    expect((await tshark(["-r", sealed, ...decodeAs, "-Y", "http"])).trim()).toBe("");
  });
});
