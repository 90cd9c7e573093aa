// A TCP pass-through that records every byte both ways, for connections the lab opens to
// itself (lesson 7's ws:// and wss:// twins): what a watcher on the wire between the two would
// see, byte for byte, with times. It listens on 127.0.0.1 and a port of its own, serves one
// connection, and closes with it.
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";

export interface WireChunk {
  dir: "in" | "out";
  t: number;
  bytes: Uint8Array;
}

export interface CaptureProxy {
  port: number;
  /** Everything that crossed, in order ("in" toward the target). */
  chunks: WireChunk[];
  /** The four-tuple of the captured connection, once one came. */
  tuple(): { clientAddress: string; clientPort: number; serverAddress: string; serverPort: number } | null;
  /** Resolves when the captured connection has ended both ways. */
  ended: Promise<void>;
  close(): Promise<void>;
}

const now = (): number => performance.timeOrigin + performance.now();

export async function startCaptureProxy(targetPort: number): Promise<CaptureProxy> {
  const chunks: WireChunk[] = [];
  let tuple: ReturnType<CaptureProxy["tuple"]> = null;
  let finish!: () => void;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  const sockets: Socket[] = [];
  const server: Server = createServer((client) => {
    server.close();
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.push(client, upstream);
    // The addresses the client used: it connected to this proxy, which stands where the wire is.
    tuple = {
      clientAddress: client.remoteAddress ?? "127.0.0.1",
      clientPort: client.remotePort ?? 0,
      serverAddress: client.localAddress ?? "127.0.0.1",
      serverPort: client.localPort ?? 0,
    };
    client.on("data", (data: Buffer) => {
      chunks.push({ dir: "in", t: now(), bytes: new Uint8Array(data) });
      upstream.write(data);
    });
    upstream.on("data", (data: Buffer) => {
      chunks.push({ dir: "out", t: now(), bytes: new Uint8Array(data) });
      client.write(data);
    });
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
    let closed = 0;
    const closedOne = (): void => {
      if (++closed === 2) finish();
    };
    client.on("close", () => {
      upstream.destroy();
      closedOne();
    });
    upstream.on("close", () => {
      client.destroy();
      closedOne();
    });
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    chunks,
    tuple: () => tuple,
    ended,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
