// The lab's https:// and wss:// side: `npm start -- --https-port N` (tls/lab-certificate.ts says
// which certificate). The same site and the same lab as the plain side, served by the very same
// HTTP server object, so every gate, limit, timeout and the wire tap apply to both alike: each TCP
// connection is accepted here, wrapped in a server-side TLS socket, and handed to the HTTP server
// once TLS is up, as if it had arrived there.
//
// Why not node:https? Its TLS layer reads the TCP socket natively, out of JavaScript's sight. Here
// the TLS socket reads through a small stream that also records every raw byte (raw-capture.ts),
// and the TLS socket logs its session secrets (the `keylog` event). Lesson 7 then shows a reader
// the TLS records of their *own* wss:// connection, and what each held, decrypted with those
// secrets (self-runs-http.ts, tls-twin.ts). Recording is bounded and stops as soon as a
// connection turns out to be an ordinary page request.
//
// TLS 1.3 with TLS_AES_128_GCM_SHA256 only (every TLS 1.3 client must offer it, RFC 8446 §9.1):
// the suite the lab's decryption (tls13-decrypt.ts) and the lesson explain.
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import type { Server as HttpServer } from "node:http";
import { Duplex } from "node:stream";
import { createSecureContext, TLSSocket } from "node:tls";
import { createAddressCount } from "../address-count.ts";
import { createRawCapture, type RawCapture } from "./raw-capture.ts";

export const HTTPS_CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";

export interface HttpsListenerOptions {
  cert: string;
  key: string;
  /** A connection whose TLS handshake has not finished by then is closed. */
  handshakeTimeoutMs: number;
  /** TLS handshakes one client address may have in progress at once. */
  handshakesPerAddress: number;
  /** TLS handshakes all clients together may have in progress at once. */
  handshakesTotal: number;
  /** Raw bytes kept per connection for lesson 7 (raw-capture.ts). */
  captureBytes: number;
}

export interface HttpsListener {
  listen(port: number, host: string): Promise<AddressInfo>;
  /** The raw TLS bytes and secrets of a connection the HTTP server got from here; null for a plain one. */
  captureOf(socket: object): RawCapture | null;
  close(): Promise<void>;
}

const ADDRESS_KEYS = [
  "remoteAddress",
  "remotePort",
  "remoteFamily",
  "localAddress",
  "localPort",
  "localFamily",
] as const;

/** The TCP socket as a stream the TLS socket reads, recording both directions on the way. */
function recordingStream(socket: Socket, capture: RawCapture): Duplex {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      capture.record("out", chunk);
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  socket.on("data", (chunk: Buffer) => {
    capture.record("in", chunk);
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on("end", () => stream.push(null));
  socket.on("close", () => stream.destroy());
  socket.on("error", () => socket.destroy());
  return stream;
}

export function createHttpsListener(httpServer: HttpServer, options: HttpsListenerOptions): HttpsListener {
  const secureContext = createSecureContext({
    cert: options.cert,
    key: options.key,
    minVersion: "TLSv1.3",
    ciphers: HTTPS_CIPHER_SUITE,
  });
  const captures = new WeakMap<object, RawCapture>();
  const handshaking = createAddressCount();
  let handshakesInProgress = 0;
  const open = new Set<Socket>();

  const onSocket = (socket: Socket): void => {
    const address = socket.remoteAddress ?? "unknown";
    // A client opening TLS handshakes it never finishes holds descriptors; the HTTP server's own
    // caps count only connections that reached it.
    if (handshaking.of(address) >= options.handshakesPerAddress || handshakesInProgress >= options.handshakesTotal) {
      socket.destroy();
      return;
    }
    handshaking.add(address);
    handshakesInProgress++;
    open.add(socket);
    let handshakeDone = false;
    const finishHandshake = (): void => {
      if (handshakeDone) return;
      handshakeDone = true;
      handshaking.remove(address);
      handshakesInProgress--;
      clearTimeout(timer);
    };
    const timer = setTimeout(() => socket.destroy(), options.handshakeTimeoutMs);
    timer.unref();
    const capture = createRawCapture(options.captureBytes, {
      clientAddress: socket.remoteAddress ?? "",
      clientPort: socket.remotePort ?? 0,
      serverAddress: socket.localAddress ?? "",
      serverPort: socket.localPort ?? 0,
    });
    socket.on("close", () => {
      finishHandshake();
      open.delete(socket);
      capture.ended();
    });
    const tls = new TLSSocket(recordingStream(socket, capture), {
      isServer: true,
      secureContext,
      ALPNProtocols: ["http/1.1"],
    });
    // The TLS socket reads a stream, not the TCP socket, so it cannot know the addresses itself;
    // the limits, the Host check and the tap all ask it.
    for (const key of ADDRESS_KEYS) Object.defineProperty(tls, key, { configurable: true, get: () => socket[key] });
    tls.on("keylog", (line: Buffer) => capture.keyLog(line.toString("latin1").trim()));
    tls.on("error", () => tls.destroy());
    tls.once("secure", () => {
      finishHandshake();
      captures.set(tls, capture);
      capture.secured(tls.getProtocol() ?? "", tls.getCipher()?.standardName ?? "");
      httpServer.emit("connection", tls);
    });
  };

  const tcp: TcpServer = createTcpServer(onSocket);

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        tcp.once("error", reject);
        tcp.listen(port, host, () => {
          tcp.off("error", reject);
          resolve(tcp.address() as AddressInfo);
        });
      });
    },
    captureOf(socket) {
      return captures.get(socket) ?? null;
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => tcp.close(() => resolve()));
    },
  };
}
