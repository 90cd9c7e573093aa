// Lesson 7's twins: the same WebSocket conversation, over ws:// and over wss://, opened by the
// lab itself to a private copy of itself (a browser will not open wss:// to a certificate it does
// not trust, so the page cannot be the client). Each runs through a capture proxy, so what comes
// back is what a watcher on the wire would see: a readable handshake and frames for ws://, TLS
// records for wss://. The TLS client logs its session secrets (Node's `keylog` event), and the
// lab decrypts every record with them (tls13-decrypt.ts), so the page can show, beside each
// encrypted record, the very frame bytes the ws:// twin shows in the clear.
//
// Each frame gets a fresh masking key, as RFC 6455 §5.3 requires, but both twins use the same
// fresh keys in the same order, so their frames are byte for byte the same: only the wrapping
// differs. TLS 1.3 only, TLS_AES_128_GCM_SHA256 only, so the
// lesson can name what it shows.
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { randomBytes, X509Certificate } from "node:crypto";
import { encodeClosePayload } from "../../protocol/close-payload.ts";
import { encodeFrame } from "../../protocol/frame-encode.ts";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import { TlsRecordReader, type TlsRecord } from "../../protocol/tls-records.ts";
import { encodeUtf8 } from "../../protocol/utf8.ts";
import { startPrivateLab, type MakeLab } from "../private-lab.ts";
import type { LabSettings } from "../settings.ts";
import type { TlsTwinRun, TwinChunk, TwinSide } from "../../protocol/tls-twin-api.ts";
import type { RawCapture } from "./raw-capture.ts";
import { startCaptureProxy, type WireChunk } from "./capture-proxy.ts";
import { decryptDirection, parseKeyLog } from "./tls13-decrypt.ts";

export type { TlsTwinRun };

export const TWIN_CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";
export const TWIN_SERVER_NAME = "localhost";
export const TWIN_TIMEOUT_MS = 5000;

/** The name the wss:// twin asks for (SNI): the certificate's first DNS name, else "localhost". */
export function certificateServerName(cert: string): string {
  const names = new X509Certificate(cert).subjectAltName ?? "";
  return /DNS:([^,\s]+)/.exec(names)?.[1] ?? TWIN_SERVER_NAME;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

export function withOffsets(chunks: readonly Pick<WireChunk, "dir" | "t" | "bytes">[]): TwinChunk[] {
  const offsets = { in: 0, out: 0 };
  return chunks.map((c) => {
    const chunk = { dir: c.dir, t: c.t, offset: offsets[c.dir], length: c.bytes.length, data: b64(c.bytes) };
    offsets[c.dir] += c.bytes.length;
    return chunk;
  });
}

/** Opens, says `message`, reads the echo, closes with 1000 and waits for the server to end TCP. */
/** The masking keys of the conversation's client frames, in order: the text message, then the close. */
export type MaskingKeys = readonly [Uint8Array, Uint8Array];

function converse(
  socket: Socket,
  ready: "connect" | "secureConnect",
  host: string,
  origin: string,
  message: string,
  keys: MaskingKeys,
): Promise<void> {
  return new Promise((resolve) => {
    const frame = (opcode: number, payload: Uint8Array): Uint8Array => {
      const encoded = encodeFrame({ opcode, payload, maskingKey: opcode === 0x8 ? keys[1] : keys[0] });
      if (!encoded.ok) throw new Error(encoded.error);
      return encoded.bytes;
    };
    const decoder = new FrameDecoder({ direction: "server-to-client" });
    let head = Buffer.alloc(0);
    let upgraded = false;
    let closing = false;
    const timer = setTimeout(() => socket.destroy(), TWIN_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    socket.once(ready, () => {
      socket.write(
        `GET /lab/echo HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on("data", (chunk: Buffer) => {
      let bytes = chunk;
      if (!upgraded) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        upgraded = true;
        if (!head.subarray(0, 12).toString("latin1").startsWith("HTTP/1.1 101")) return void socket.end();
        socket.write(frame(0x1, encodeUtf8(message)));
        bytes = head.subarray(end + 4);
      }
      for (const event of decoder.push(bytes)) {
        if (event.kind !== "frame") continue;
        if (event.frame.opcode === 0x1 && !closing) {
          closing = true;
          socket.write(frame(0x8, encodeClosePayload(1000, "")));
        }
      }
    });
    socket.on("close", done);
    socket.on("error", () => socket.destroy());
  });
}

function recordsOf(
  chunks: readonly Pick<WireChunk, "dir" | "bytes">[],
  dir: "in" | "out",
): { records: TlsRecord[]; problem: string | null } {
  const reader = new TlsRecordReader();
  const records: TlsRecord[] = [];
  for (const chunk of chunks) {
    if (chunk.dir !== dir) continue;
    const read = reader.push(chunk.bytes);
    records.push(...read.records);
    if (!read.ok) return { records, problem: read.error };
  }
  return { records, problem: null };
}

/** Every record of a wss:// capture, opened with the session's secrets (tls13-decrypt.ts). */
function decryptSide(
  chunks: readonly Pick<WireChunk, "dir" | "bytes">[],
  keyLog: readonly string[],
  cipherSuite: string,
): { decrypted: TlsTwinRun["wss"]["decrypted"]; problem: string | null } {
  const secrets = parseKeyLog(keyLog);
  const decrypted: TlsTwinRun["wss"]["decrypted"] = [];
  let problem: string | null = null;
  for (const dir of ["in", "out"] as const) {
    const read = recordsOf(chunks, dir);
    problem ??= read.problem;
    const opened = decryptDirection(read.records, dir, cipherSuite, secrets);
    if (!opened.ok) problem ??= opened.error;
    for (const r of opened.records)
      decrypted.push({ dir, offset: r.offset, innerType: r.innerType, phase: r.phase, data: b64(r.plaintext) });
  }
  return { decrypted, problem };
}

/** The ws:// twin alone: `message` over a private lab's plain side, through a capture proxy (lesson 9's HTTP/1.1 opening too). */
export async function runWsTwin(
  lab: { ports: readonly number[] },
  serverName: string,
  message: string,
  keys: MaskingKeys,
): Promise<TwinSide> {
  const wsProxy = await startCaptureProxy(lab.ports[0]!);
  const wsSocket = connectTcp(wsProxy.port, "127.0.0.1");
  await converse(
    wsSocket,
    "connect",
    `${serverName}:${wsProxy.port}`,
    `http://${serverName}:${wsProxy.port}`,
    message,
    keys,
  );
  await Promise.race([wsProxy.ended, new Promise((r) => setTimeout(r, 500))]);
  await wsProxy.close();
  return { scheme: "ws", tuple: wsProxy.tuple(), chunks: withOffsets(wsProxy.chunks) };
}

export async function runTlsTwin(
  settings: LabSettings,
  makeLab: MakeLab,
  certificate: { key: string; cert: string },
  message = "Hello",
): Promise<TlsTwinRun> {
  const lab = await startPrivateLab(makeLab, settings, [
    createHttpServer(),
    createHttpsServer({ key: certificate.key, cert: certificate.cert, minVersion: "TLSv1.3" }),
  ]);
  const securePort = lab.ports[1]!;
  const keys: MaskingKeys = [randomBytes(4), randomBytes(4)];
  const serverName = certificateServerName(certificate.cert);
  try {
    const ws = await runWsTwin(lab, serverName, message, keys);

    const wssProxy = await startCaptureProxy(securePort);
    const keyLog: string[] = [];
    // The lab talks to itself, so it knows exactly which certificate must answer: it pins that
    // certificate (its SHA-256 fingerprint) rather than asking a CA. That also works for an
    // operator's certificate from a CA this machine does not trust, or for a name it cannot resolve.
    const pinned = new X509Certificate(certificate.cert).fingerprint256;
    const tlsSocket = connectTls({
      port: wssProxy.port,
      host: "127.0.0.1",
      servername: serverName,
      minVersion: "TLSv1.3",
      ciphers: TWIN_CIPHER_SUITE,
      rejectUnauthorized: false,
    });
    tlsSocket.once("secureConnect", () => {
      if (tlsSocket.getPeerX509Certificate()?.fingerprint256 !== pinned)
        tlsSocket.destroy(new Error("the TLS server did not present the lab's certificate"));
    });
    tlsSocket.on("keylog", (line: Buffer) => keyLog.push(line.toString("latin1").trim()));
    let version = "";
    let cipherSuite = "";
    tlsSocket.once("secureConnect", () => {
      version = tlsSocket.getProtocol() ?? "";
      cipherSuite = tlsSocket.getCipher()?.standardName ?? "";
    });
    await converse(
      tlsSocket,
      "secureConnect",
      `${serverName}:${wssProxy.port}`,
      `https://${serverName}:${wssProxy.port}`,
      message,
      keys,
    );
    await Promise.race([wssProxy.ended, new Promise((r) => setTimeout(r, 500))]);
    await wssProxy.close();

    const { decrypted, problem } = decryptSide(wssProxy.chunks, keyLog, cipherSuite);
    return {
      message,
      maskingKey: Buffer.from(keys[0]).toString("hex"),
      ws,
      wss: {
        scheme: "wss",
        client: "lab",
        tuple: wssProxy.tuple(),
        chunks: withOffsets(wssProxy.chunks),
        version,
        cipherSuite,
        keyLog,
        decrypted,
        problem,
      },
    };
  } finally {
    await lab.close();
  }
}

/** The first text frame the reader's browser sent (its text and masking key) and the masking key of its close frame. */
function readersFrames(decrypted: TlsTwinRun["wss"]["decrypted"]): { message: string; keys: MaskingKeys } | null {
  const sent = Buffer.concat(
    decrypted
      .filter((r) => r.dir === "in" && r.phase === "application" && r.innerType === 23)
      .map((r) => Buffer.from(r.data, "base64")),
  );
  const headEnd = sent.indexOf("\r\n\r\n");
  if (headEnd < 0) return null;
  let text: { message: string; key: Uint8Array } | null = null;
  let closeKey: Uint8Array | null = null;
  for (const event of new FrameDecoder({ direction: "client-to-server" }).push(sent.subarray(headEnd + 4))) {
    if (event.kind !== "frame" || !event.frame.maskingKey) continue;
    if (event.frame.opcode === 0x1 && !text)
      text = { message: new TextDecoder().decode(event.frame.payload), key: event.frame.maskingKey };
    if (event.frame.opcode === 0x8 && !closeKey) closeKey = event.frame.maskingKey;
  }
  return text ? { message: text.message, keys: [text.key, closeKey ?? randomBytes(4)] } : null;
}

/**
 * Lesson 7 on a page served over https://: the wss:// column is the reader's own connection, as
 * the lab's https:// side recorded it below TLS (https-listener.ts), decrypted with its secrets;
 * the ws:// twin then says the reader's message with the reader's masking keys, so both columns
 * again hold the very same frames.
 */
export async function runOwnTwin(settings: LabSettings, makeLab: MakeLab, capture: RawCapture): Promise<TlsTwinRun> {
  if (capture.chunks.length === 0) throw new Error("nothing of that connection was recorded");
  const { decrypted, problem } = decryptSide(capture.chunks, capture.keyLogLines, capture.cipherSuite);
  const said = readersFrames(decrypted);
  if (!said)
    throw new Error(`no text frame from your browser was found in that connection${problem ? ` (${problem})` : ""}`);
  const lab = await startPrivateLab(makeLab, settings, [createHttpServer()]);
  try {
    const ws = await runWsTwin(lab, TWIN_SERVER_NAME, said.message, said.keys);
    return {
      message: said.message,
      maskingKey: Buffer.from(said.keys[0]).toString("hex"),
      ws,
      wss: {
        scheme: "wss",
        client: "reader",
        tuple: capture.tuple,
        chunks: withOffsets(capture.chunks),
        version: capture.version,
        cipherSuite: capture.cipherSuite,
        keyLog: [...capture.keyLogLines],
        decrypted,
        problem:
          problem ??
          (capture.truncated ? "the connection carried more than the lab keeps, so its end is missing" : null),
      },
    };
  } finally {
    await lab.close();
  }
}
