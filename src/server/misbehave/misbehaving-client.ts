// The lab's own misbehaving client (lesson 6). A browser never sends a frame that breaks the
// rules, so to show what the lab answers to one, the lab does it itself: it starts a private lab
// (private-lab.ts: the same code and limits as the real one, on 127.0.0.1 and a port of its own, closed
// afterwards), opens a real TCP connection to its /lab/echo, completes the opening handshake,
// sends the chosen bytes (protocol/misbehave-cases.ts) and records both directions of the
// stream, byte for byte, as the client saw them, in the wire tap's event format
// (protocol/tap-events.ts), so the page reads them with the same CaptureBuilder as a live tap.
//
// Like a browser, the client answers the lab's close frame with a close frame of its own (RFC
// 6455 §5.5.1), masked, echoing the code, and then waits for the lab to end the TCP connection
// (§7.1.1). Only the silent peer never answers anything: the private lab's heartbeat runs every
// SILENT_PEER_HEARTBEAT_MS instead of the real lab's interval, so the drop comes in seconds.
import { createServer } from "node:http";
import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import { encodeFrame } from "../../protocol/frame-encode.ts";
import { encodeClosePayload, parseClosePayload } from "../../protocol/close-payload.ts";
import { misbehavingBytes, type MisbehaveCaseName } from "../../protocol/misbehave-cases.ts";
import type { Initiator, TapEvent } from "../../protocol/tap-events.ts";
import { startPrivateLab, type MakeLab } from "../private-lab.ts";
import type { LabSettings } from "../settings.ts";

/** The private lab's heartbeat: short, so the silent peer is dropped while the reader watches. */
export const SILENT_PEER_HEARTBEAT_MS = 1000;
/** However a case goes, the client gives up after this long (the silent peer needs about two heartbeats). */
export const MISBEHAVE_TIMEOUT_MS = 5000;

export interface MisbehaveRun {
  case: MisbehaveCaseName;
  events: TapEvent[];
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

/** Runs one case against a private lab made by `makeLab` (lab.ts's createLab) and returns what crossed the wire. */
export async function runMisbehavingClient(
  name: MisbehaveCaseName,
  settings: LabSettings,
  makeLab: MakeLab,
): Promise<MisbehaveRun> {
  const lab = await startPrivateLab(makeLab, { ...settings, heartbeatIntervalMs: SILENT_PEER_HEARTBEAT_MS }, [
    createServer(),
  ]);
  try {
    const events = await converse(name, lab.ports[0]!, settings.maxMessageBytes);
    return { case: name, events };
  } finally {
    await lab.close();
  }
}

function converse(name: MisbehaveCaseName, port: number, maxMessageBytes: number): Promise<TapEvent[]> {
  return new Promise((resolve) => {
    const events: TapEvent[] = [];
    const socket: Socket = connect(port, "127.0.0.1");
    const offsets = { in: 0, out: 0 };
    const decoder = new FrameDecoder({ direction: "server-to-client", maxPayloadLength: maxMessageBytes * 2 });
    let head = Buffer.alloc(0);
    let upgraded = false;
    let closeSeen: { code: number; reason: string } | null = null;
    let closeAnswered = false;
    let finished = false;
    const now = (): number => performance.timeOrigin + performance.now();

    const write = (bytes: Uint8Array): void => {
      if (bytes.length === 0 || socket.destroyed) return;
      events.push({
        type: "chunk",
        t: now(),
        specimen: 1,
        dir: "in",
        offset: offsets.in,
        length: bytes.length,
        data: b64(bytes),
      });
      offsets.in += bytes.length;
      socket.write(bytes);
    };
    const finish = (initiator: Initiator): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      const clean = closeSeen !== null && closeAnswered;
      events.push({
        type: "close",
        t: now(),
        specimen: 1,
        code: closeSeen?.code ?? 1006,
        reason: closeSeen?.reason ?? "",
        initiator,
        wasClean: clean,
      });
      resolve(events);
    };
    const timer = setTimeout(() => finish("client"), MISBEHAVE_TIMEOUT_MS);

    socket.on("connect", () => {
      events.push({
        type: "open",
        t: now(),
        specimen: 1,
        path: "/lab/echo",
        tuple: {
          clientAddress: socket.localAddress ?? "127.0.0.1",
          clientPort: socket.localPort ?? 0,
          serverAddress: "127.0.0.1",
          serverPort: port,
        },
      });
      const request = Buffer.from(
        `GET /lab/echo HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\nUser-Agent: switching-protocols-misbehaving-client\r\n\r\n`,
        "latin1",
      );
      events.push({ type: "request", t: now(), specimen: 1, offset: 0, data: b64(request) });
      offsets.in = request.length;
      socket.write(request);
    });
    socket.on("data", (chunk: Buffer) => {
      let bytes: Buffer = chunk;
      if (!upgraded) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        const response = head.subarray(0, end + 4);
        events.push({ type: "response", t: now(), specimen: 1, offset: 0, data: b64(response) });
        offsets.out = response.length;
        upgraded = true;
        if (!response.toString("latin1").startsWith("HTTP/1.1 101")) return finish("server");
        bytes = head.subarray(end + 4);
        write(misbehavingBytes(name, randomBytes(4), maxMessageBytes));
        if (bytes.length === 0) return;
      }
      events.push({
        type: "chunk",
        t: now(),
        specimen: 1,
        dir: "out",
        offset: offsets.out,
        length: bytes.length,
        data: b64(bytes),
      });
      offsets.out += bytes.length;
      for (const event of decoder.push(bytes)) {
        if (event.kind !== "frame") continue;
        // The silent peer answers nothing, not even a ping.
        if (name === "silent-peer") continue;
        if (event.frame.opcode === 0x9) write(frameBytes(0xa, event.frame.payload));
        if (event.frame.opcode === 0x8 && !closeAnswered) {
          const parsed = parseClosePayload(event.frame.payload);
          closeSeen = parsed.ok ? { code: parsed.code ?? 1005, reason: parsed.reason } : { code: 1002, reason: "" };
          closeAnswered = true;
          write(frameBytes(0x8, encodeClosePayload(parsed.ok ? parsed.code : null)));
        }
      }
    });
    socket.on("end", () => finish("server"));
    socket.on("close", () => finish("server"));
    socket.on("error", () => finish("network"));
  });
}

/** A masked frame from the client (RFC 6455 §5.3). */
function frameBytes(opcode: number, payload: Uint8Array): Uint8Array {
  const encoded = encodeFrame({ opcode, payload, maskingKey: randomBytes(4) });
  if (!encoded.ok) throw new Error(encoded.error);
  return encoded.bytes;
}
