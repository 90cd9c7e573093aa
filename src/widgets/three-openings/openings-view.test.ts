// Lesson 9's columns as data: the reader's tapped HTTP/1.1 connection and the lab's HTTP/2 capture
// paired with the model's units; what no capture can see says so, what the model leaves out is
// shown as extra; the tap's token never reaches the text; HTTP/3 is simulation throughout.
import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../protocol/base64.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { EXAMPLE_CONVERSATION, openingUnits } from "../../protocol/websocket-openings.ts";
import { Http2FrameReader } from "../../protocol/http2-frames.ts";
import { columnRows, http2Header, liveHttp1Items, openingBytes, type LiveItem } from "./openings-view.ts";

const TOKEN = "AbCdEfGhIjKlMnOpQrStUv";
const head = (text: string): string => bytesToBase64(new TextEncoder().encode(text));
const units = openingUnits("http/1.1", EXAMPLE_CONVERSATION);
const unitBytes = (id: string): Uint8Array => units.find((u) => u.id === id)!.bytes!;

/** The tap's record of a conversation like the model's, with a ping from the lab in between. */
function tapEvents(): TapEvent[] {
  const request = new TextDecoder()
    .decode(unitBytes("request"))
    .replace("GET /lab/echo ", `GET /lab/echo?watch=${TOKEN} `);
  const ping = Uint8Array.of(0x89, 0x00);
  const chunk = (t: number, dir: "in" | "out", bytes: Uint8Array): TapEvent => ({
    type: "chunk",
    t,
    specimen: 1,
    dir,
    offset: 0,
    length: bytes.length,
    data: bytesToBase64(bytes),
  });
  return [
    {
      type: "open",
      t: 1000,
      specimen: 1,
      path: "/lab/echo",
      tuple: { clientAddress: "127.0.0.1", clientPort: 50000, serverAddress: "127.0.0.1", serverPort: 4321 },
    },
    { type: "request", t: 999.8, specimen: 1, offset: 0, data: head(request) },
    { type: "response", t: 1001, specimen: 1, offset: 0, data: bytesToBase64(unitBytes("response")) },
    chunk(1002, "out", ping),
    // One TCP read holding the text frame and, split, half of nothing else: frames are found across reads.
    chunk(1003, "in", unitBytes("text").subarray(0, 3)),
    chunk(1003.2, "in", unitBytes("text").subarray(3)),
    chunk(1004, "out", unitBytes("echo")),
    chunk(1005, "in", unitBytes("close")),
    chunk(1006, "out", unitBytes("close-reply")),
    { type: "close", t: 1007, specimen: 1, code: 1000, reason: "", initiator: "client", wasClean: true },
  ];
}

describe("the HTTP/1.1 column: the reader's own connection, tapped", () => {
  it("reads the heads and the frames across TCP reads, hiding the tap's token", () => {
    const items = liveHttp1Items(tapEvents());
    expect(items.map((i) => [i.from, i.key])).toEqual([
      ["client", "request"],
      ["server", "response"],
      ["server", "ws:9"],
      ["client", "ws:1"],
      ["server", "ws:1"],
      ["client", "ws:8"],
      ["server", "ws:8"],
    ]);
    expect(items[0]!.title).toBe("GET /lab/echo?watch=… HTTP/1.1");
    expect(JSON.stringify(items)).not.toContain(TOKEN);
    // The tap reported the request before the open: times still start at 0, never below.
    expect(items[0]!.at).toBe(0);
    expect(items.every((i) => i.at >= 0)).toBe(true);
  });

  it("pairs every unit the tap can see, marks TCP's handshake and FIN as unseen, and shows the ping as extra", () => {
    const rows = columnRows("http/1.1", EXAMPLE_CONVERSATION, liveHttp1Items(tapEvents()));
    expect(rows.map((r) => `${r.source}:${r.title.split(",")[0]}`)).toEqual([
      "unseen:SYN",
      "unseen:SYN-ACK",
      "unseen:ACK",
      "seen:GET /lab/echo?watch=… HTTP/1.1",
      "seen:HTTP/1.1 101 Switching Protocols",
      "extra:Ping frame",
      "seen:Text frame (masked)",
      "seen:Text frame",
      "seen:Close frame (masked)",
      "seen:Close frame",
      "unseen:FIN",
    ]);
    // The frames seen are the model's own bytes: same keys, same message.
    const seenFrames = rows.filter((r) => r.source === "seen" && r.websocketHex).map((r) => r.websocketHex);
    const modelFrames = units
      .filter((u) => u.websocket)
      .map((u) => Buffer.from(u.websocket!).toString("hex").match(/../g)!.join(" "));
    expect(seenFrames).toEqual(modelFrames);
    expect(openingBytes(rows)).toBe(
      unitBytes("request").length + `?watch=${TOKEN}`.length + unitBytes("response").length,
    );
  });

  it("says so when a unit never came", () => {
    const withoutEcho = tapEvents().filter((e) => !(e.type === "chunk" && e.t === 1004));
    const rows = columnRows("http/1.1", EXAMPLE_CONVERSATION, liveHttp1Items(withoutEcho));
    const echo = rows.find((r) => r.title === "Text frame")!;
    expect(echo.source).toBe("expected");
    expect(echo.lines.at(-1)).toMatch(/did not hold it/);
  });
});

describe("the HTTP/2 and HTTP/3 columns", () => {
  const item = (from: "client" | "server", key: string, title = key): LiveItem => ({
    from,
    key,
    at: 0,
    title,
    bytes: new Uint8Array(9),
    lines: [],
    rfc: "RFC 9113 §4.1",
  });

  it("pairs HTTP/2 frames with the model by kind and sender, in order, and keeps the library's own frames as extras", () => {
    const live = [
      item("client", "preface"),
      item("client", "SETTINGS"),
      item("client", "WINDOW_UPDATE"),
      item("server", "SETTINGS", "SETTINGS: SETTINGS_ENABLE_CONNECT_PROTOCOL = 1"),
      item("server", "SETTINGS ACK"),
      item("client", "SETTINGS ACK"),
      item("client", "HEADERS"),
      item("server", "HEADERS"),
      ...["client", "server", "client", "server"].map((from) => item(from as "client" | "server", "DATA")),
      item("client", "END_STREAM"),
      item("server", "END_STREAM"),
      item("server", "GOAWAY"),
    ];
    const rows = columnRows("h2", EXAMPLE_CONVERSATION, live);
    expect(rows.filter((r) => r.source === "seen")).toHaveLength(13);
    expect(rows.filter((r) => r.source === "extra").map((r) => r.title)).toEqual(["WINDOW_UPDATE", "GOAWAY"]);
    expect(rows.filter((r) => r.source === "unseen").map((r) => r.title)).toEqual(["SYN", "SYN-ACK", "ACK"]);
    expect(rows.find((r) => r.title === "WINDOW_UPDATE")!.lines[0]).toMatch(/flow control/);
  });

  it("spells out an HTTP/2 frame header field by field", () => {
    const [event] = new Http2FrameReader({ expectPreface: false }).push(
      Uint8Array.from(Buffer.from("000006040000000000" + "000800000001", "hex")),
    );
    if (event?.kind !== "frame") throw new Error("no frame");
    expect(http2Header(event.frame)).toBe(
      "Frame header 00 00 06 04 00 00 00 00 00: length 6, type 0x04 SETTINGS, flags 0x00, stream 0",
    );
  });

  it("draws HTTP/3 from the model alone, every row marked simulated, with its time in round trips", () => {
    const rows = columnRows("h3", EXAMPLE_CONVERSATION, null);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(["simulated"]));
    expect(rows.find((r) => r.phase === "messages" && r.from === "client")!.at).toBe("at 2 round trips");
    expect(openingBytes(rows)).toBeGreaterThan(0);
  });

  it("before a run, shows the live columns as the model expects them", () => {
    expect(new Set(columnRows("h2", EXAMPLE_CONVERSATION, null).map((r) => r.source))).toEqual(new Set(["expected"]));
  });
});
