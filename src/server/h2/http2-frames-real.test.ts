// protocol/http2-frames.ts and protocol/hpack.ts against a real HTTP/2 implementation (Node's, nghttp2): a cleartext
// server that enables extended CONNECT (RFC 8441 §3), a client that opens a WebSocket stream with
// :protocol = websocket, and a TCP relay that keeps every read. The reader must find what RFC 9113
// and RFC 8441 say is there, in both directions, whatever the reads' boundaries. (The groundwork
// of lesson 9's live HTTP/2 opening.)
import http2 from "node:http2";
import { createServer as createTcpServer, connect, type AddressInfo, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { frameExample } from "../../protocol/rfc-examples.ts";
import { Http2FrameReader, type Http2Frame } from "../../protocol/http2-frames.ts";
import { HpackDecoder } from "../../protocol/hpack.ts";

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function listen(server: Server | http2.Http2Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

describe("HTTP/2 frames of a WebSocket opened by extended CONNECT, read from real bytes", () => {
  it("finds the preface, SETTINGS_ENABLE_CONNECT_PROTOCOL, the CONNECT stream's HEADERS and the WebSocket frame in DATA", async () => {
    const h2 = http2.createServer({ settings: { enableConnectProtocol: true } });
    h2.on("stream", (stream) => {
      stream.respond({ ":status": 200 });
      stream.on("data", (data: Buffer) => stream.write(data));
    });
    const h2Port = await listen(h2);
    const reads = { client: [] as Buffer[], server: [] as Buffer[] };
    const relay = createTcpServer((from) => {
      const to = connect(h2Port, "127.0.0.1");
      from.on("data", (d: Buffer) => (reads.client.push(d), to.write(d)));
      to.on("data", (d: Buffer) => (reads.server.push(d), from.write(d)));
      from.on("close", () => to.destroy());
      to.on("close", () => from.destroy());
    });
    const relayPort = await listen(relay);
    closers.push(
      () => relay.close(),
      () => h2.close(),
    );

    const session = http2.connect(`http://127.0.0.1:${relayPort}`);
    closers.push(() => session.destroy());
    await new Promise((resolve) => session.once("remoteSettings", resolve));
    const request = {
      ":method": "CONNECT",
      ":protocol": "websocket",
      ":scheme": "http",
      ":path": "/lab/echo",
      ":authority": `127.0.0.1:${relayPort}`,
      "sec-websocket-version": "13",
      origin: `http://127.0.0.1:${relayPort}`,
    };
    const stream = session.request(request);
    const status = new Promise((resolve) => stream.once("response", (headers) => resolve(headers[":status"])));
    const hello = frameExample("masked-text")!.bytes;
    stream.write(hello);
    await new Promise((resolve) => stream.once("data", resolve));
    expect(await status).toBe(200);
    // A second WebSocket on the same connection: its HEADERS reuse the dynamic table (RFC 7541 §2.3.2).
    const second = session.request(request);
    await new Promise((resolve) => second.once("response", resolve));

    const read = (chunks: Buffer[], expectPreface: boolean) => {
      const reader = new Http2FrameReader({ expectPreface });
      // Fed one byte at a time too: the result must not depend on where reads end.
      const whole = chunks.flatMap((c) => reader.push(c));
      const byteWise = new Http2FrameReader({ expectPreface });
      const bytes = Buffer.concat(chunks);
      const single = [...bytes].flatMap((b) => byteWise.push(Uint8Array.of(b)));
      expect(single.map((e) => e.kind)).toEqual(whole.map((e) => e.kind));
      expect(whole.some((e) => e.kind === "error")).toBe(false);
      return { events: whole, frames: whole.flatMap((e) => (e.kind === "frame" ? [e.frame] : [])) };
    };
    const client = read(reads.client, true);
    const server = read(reads.server, false);
    expect(client.events[0]!.kind).toBe("preface");

    const serverSettings = server.frames.find((f) => f.typeName === "SETTINGS" && !f.flagNames.includes("ACK"))!;
    expect(serverSettings.detail.kind === "settings" && serverSettings.detail.settings).toContainEqual({
      id: 0x8,
      name: "SETTINGS_ENABLE_CONNECT_PROTOCOL",
      value: 1,
    });
    const connectHeaders = client.frames.find((f) => f.typeName === "HEADERS")!;
    expect(connectHeaders.streamId).toBe(1);
    expect(connectHeaders.flagNames).toContain("END_HEADERS");
    // No END_STREAM: the stream stays open to carry the WebSocket (RFC 8441 §4).
    expect(connectHeaders.flagNames).not.toContain("END_STREAM");
    const dataOf = (frames: Http2Frame[]) =>
      frames
        .filter((f) => f.typeName === "DATA" && f.streamId === 1)
        .map((f) => (f.detail.kind === "data" ? Buffer.from(f.detail.data) : Buffer.alloc(0)));
    expect(Buffer.concat(dataOf(client.frames))).toEqual(Buffer.from(hello));
    expect(Buffer.concat(dataOf(server.frames))).toEqual(Buffer.from(hello));
    expect(server.frames.find((f) => f.typeName === "HEADERS")?.streamId).toBe(1);

    // The header lists, decoded in order with one HPACK decoder per direction.
    const headerLists = (frames: Http2Frame[]) => {
      const decoder = new HpackDecoder();
      return frames
        .filter((f) => f.typeName === "HEADERS")
        .map((f) => {
          const result = decoder.decode(f.detail.kind === "field-block" ? f.detail.block : new Uint8Array(0));
          if (!result.ok) throw new Error(result.error.error);
          return { stream: f.streamId, fields: result.fields };
        });
    };
    const sent = headerLists(client.frames);
    expect(sent.map((h) => h.stream)).toEqual([1, 3]);
    for (const { fields } of sent) {
      expect(Object.fromEntries(fields.map((f) => [f.name, f.value]))).toEqual(request);
      // Pseudo-headers first (RFC 9113 §8.3), and no Upgrade, Connection or key (RFC 8441 §4).
      expect(fields.slice(0, 5).every((f) => f.name.startsWith(":"))).toBe(true);
      expect(fields.map((f) => f.name)).not.toContain("sec-websocket-key");
    }
    // The second block is shorter: it points at what the first one added to the table.
    expect(sent[1]!.fields.some((f) => f.representation === "indexed" && f.index! > 61)).toBe(true);
    const answered = headerLists(server.frames);
    expect(answered.map((h) => h.fields.find((f) => f.name === ":status")?.value)).toEqual(["200", "200"]);
  });
});
