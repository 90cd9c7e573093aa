// Lesson 9's twins: one WebSocket conversation opened twice by the lab against a private copy of
// itself, over HTTP/1.1 (the ws:// twin of lesson 7: GET with Upgrade, 101) and over HTTP/2
// (h2c-server.ts: the connection preface, SETTINGS with SETTINGS_ENABLE_CONNECT_PROTOCOL, an
// extended CONNECT on stream 1, 200, then DATA frames carrying the WebSocket frames, RFC 8441).
// Each goes through a capture relay, so the answer is what a watcher on the wire saw. Both say
// the same message with the same masking keys (the reader's, when the request names them), so
// the WebSocket frames are byte for byte the same: only what carries them differs. No key, no accept and no Upgrade over HTTP/2 (§4, §5).
import http2 from "node:http2";
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { encodeClosePayload } from "../../protocol/close-payload.ts";
import { encodeFrame } from "../../protocol/frame-encode.ts";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import type { H2TwinRequest, H2TwinRun, H2TwinSide } from "../../protocol/h2-twin-api.ts";
import { encodeUtf8 } from "../../protocol/utf8.ts";
import { startPrivateLab, type MakeLab } from "../private-lab.ts";
import type { LabSettings } from "../settings.ts";
import { startCaptureProxy } from "../tls/capture-proxy.ts";
import { runWsTwin, TWIN_TIMEOUT_MS, withOffsets, type MaskingKeys } from "../tls/tls-twin.ts";
import { createH2cServer } from "./h2c-server.ts";

/** The HTTP/2 twin: the conversation over an extended CONNECT stream, through a capture relay. */
async function runH2Side(h2Port: number, message: string, keys: MaskingKeys): Promise<H2TwinSide> {
  const proxy = await startCaptureProxy(h2Port);
  const authority = `127.0.0.1:${proxy.port}`;
  const session = http2.connect(`http://${authority}`);
  session.on("error", () => session.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("the HTTP/2 conversation did not finish in time")),
        TWIN_TIMEOUT_MS,
      );
      session.once("remoteSettings", (settings) => {
        if (!settings.enableConnectProtocol) {
          clearTimeout(timer);
          return reject(new Error("the server did not announce SETTINGS_ENABLE_CONNECT_PROTOCOL"));
        }
        const frame = (opcode: number, payload: Uint8Array): Uint8Array => {
          const encoded = encodeFrame({ opcode, payload, maskingKey: opcode === 0x8 ? keys[1] : keys[0] });
          if (!encoded.ok) throw new Error(encoded.error);
          return encoded.bytes;
        };
        const stream = session.request(
          {
            ":method": "CONNECT",
            ":protocol": "websocket",
            ":scheme": "http",
            ":path": "/lab/echo",
            ":authority": authority,
            "sec-websocket-version": "13",
            origin: `http://${authority}`,
          },
          // The stream stays open both ways: it is the WebSocket's byte stream (RFC 8441 §4).
          { endStream: false },
        );
        stream.on("error", () => stream.destroy());
        stream.once("response", (headers) => {
          if (headers[":status"] !== 200) return stream.close();
          stream.write(frame(0x1, encodeUtf8(message)));
        });
        const decoder = new FrameDecoder({ direction: "server-to-client" });
        let closing = false;
        stream.on("data", (data: Buffer) => {
          for (const event of decoder.push(data)) {
            if (event.kind !== "frame") continue;
            if (event.frame.opcode === 0x1 && !closing) {
              closing = true;
              stream.write(frame(0x8, encodeClosePayload(1000, "")));
            }
            // The lab's close frame answers ours: the client ends its half of the stream.
            if (event.frame.opcode === 0x8) stream.end();
          }
        });
        stream.on("close", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    });
  } finally {
    await new Promise<void>((resolve) => session.close(() => resolve()));
    await Promise.race([proxy.ended, new Promise((r) => setTimeout(r, 500))]);
    await proxy.close();
  }
  return { protocol: "h2c", tuple: proxy.tuple(), chunks: withOffsets(proxy.chunks) };
}

/** The twins; `request` (checked by parseH2TwinRequest) names the message and keys, else "Hello" and fresh keys. */
export async function runH2Twin(
  settings: LabSettings,
  makeLab: MakeLab,
  request: H2TwinRequest | null = null,
): Promise<H2TwinRun> {
  const message = request?.message ?? "Hello";
  const keys: MaskingKeys = request
    ? [Buffer.from(request.maskingKeys[0], "hex"), Buffer.from(request.maskingKeys[1], "hex")]
    : [randomBytes(4), randomBytes(4)];
  const lab = await startPrivateLab(makeLab, settings, [createServer()]);
  const h2 = createH2cServer(lab.lab);
  try {
    const h2Port = await new Promise<number>((resolve, reject) => {
      h2.once("error", reject);
      h2.listen(0, "127.0.0.1", () => resolve((h2.address() as AddressInfo).port));
    });
    const http1 = await runWsTwin(lab, "127.0.0.1", message, keys);
    const http2Side = await runH2Side(h2Port, message, keys);
    return {
      message,
      maskingKeys: [Buffer.from(keys[0]).toString("hex"), Buffer.from(keys[1]).toString("hex")],
      http1: { protocol: "http/1.1", tuple: http1.tuple, chunks: http1.chunks },
      http2: http2Side,
    };
  } finally {
    await new Promise<void>((resolve) => h2.close(() => resolve()));
    await lab.close();
  }
}
