// Lesson 9's one model, written three ways: each version's units are what its RFC says, they
// carry the very same WebSocket frames, and the figures the lesson shows (round trips, whether a
// WebSocket shares its connection) come out of the units as the RFCs' rules predict.
import { describe, expect, it } from "vitest";
import { FrameDecoder } from "./frame-decoder.ts";
import { parseClientRequest, parseServerResponse } from "./handshake.ts";
import { decodeQpackLiterals, readHttp3Frames, readSettingsPayload } from "./http3-frames.ts";
import {
  EXAMPLE_CONVERSATION,
  HTTP_VERSIONS,
  openingUnits,
  requestFields,
  roundTripsToFirstMessage,
  sharesConnection,
  successStatus,
  type Conversation,
} from "./websocket-openings.ts";

const secure: Conversation = { ...EXAMPLE_CONVERSATION, secure: true, origin: "https://lab.example:4321" };
const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString("hex");

describe("one conversation, three openings", () => {
  it("HTTP/1.1 writes a handshake the lab's own parsers accept, and the RFC's accept for its key", async () => {
    const [request, response] = ["request", "response"].map((id) =>
      openingUnits("http/1.1", EXAMPLE_CONVERSATION).find((u) => u.id === id)!,
    );
    const parsed = parseClientRequest(request!.bytes!);
    expect(parsed.ok).toBe(true);
    const answered = await parseServerResponse(response!.bytes!, { key: EXAMPLE_CONVERSATION.key });
    expect(answered.ok).toBe(true);
    expect(successStatus("http/1.1", EXAMPLE_CONVERSATION)).toBe(101);
  });

  it("HTTP/2 and HTTP/3 open with the same extended CONNECT fields and no Upgrade, Connection, key or accept (RFC 8441 §4-5, RFC 9220 §3)", () => {
    expect(requestFields("h2", secure)).toEqual(requestFields("h3", secure));
    for (const version of ["h2", "h3"] as const) {
      const names = requestFields(version, secure).map(([n]) => n);
      expect(names.slice(0, 2)).toEqual([":method", ":protocol"]);
      expect(names).not.toContain("upgrade");
      expect(names).not.toContain("connection");
      expect(names).not.toContain("sec-websocket-key");
      expect(successStatus(version, secure)).toBe(200);
    }
    // HTTP/3 is always over TLS: its :scheme says https even when the HTTP/2 twin is cleartext.
    expect(requestFields("h2", EXAMPLE_CONVERSATION)).toContainEqual([":scheme", "http"]);
    expect(requestFields("h3", EXAMPLE_CONVERSATION)).toContainEqual([":scheme", "https"]);
  });

  it("carries byte-for-byte the same four WebSocket frames in every version", () => {
    const carried = HTTP_VERSIONS.map((v) =>
      openingUnits(v, EXAMPLE_CONVERSATION)
        .filter((u) => u.websocket)
        .map((u) => hex(u.websocket)),
    );
    expect(carried[1]).toEqual(carried[0]);
    expect(carried[2]).toEqual(carried[0]);
    const decoded = new FrameDecoder({ direction: "client-to-server" }).push(Buffer.from(carried[0]![0]!, "hex"));
    expect(decoded[0]?.kind === "frame" && new TextDecoder().decode(decoded[0].frame.payload)).toBe("Hello");
  });

  it("writes HTTP/3 units that read back as the model says: SETTINGS 0x08 = 1 on a control stream, QPACK fields, DATA around the WebSocket frame", () => {
    const units = openingUnits("h3", EXAMPLE_CONVERSATION);
    const settings = units.find((u) => u.id === "server-settings")!;
    expect(settings.bytes![0]).toBe(0x00); // the control stream's type (RFC 9114 §6.2.1)
    const [frame] = readHttp3Frames(settings.bytes!.subarray(1))!;
    expect(readSettingsPayload(frame!.payload)).toEqual([[0x08, 1]]);
    const request = units.find((u) => u.id === "request")!;
    const [headers] = readHttp3Frames(request.bytes!)!;
    expect(headers!.typeName).toBe("HEADERS");
    expect(decodeQpackLiterals(headers!.payload)).toEqual(requestFields("h3", EXAMPLE_CONVERSATION));
    for (const unit of units.filter((u) => u.websocket)) {
      const [data] = readHttp3Frames(unit.bytes!)!;
      expect([data!.typeName, hex(data!.payload)]).toEqual(["DATA", hex(unit.websocket)]);
      expect(unit.stream).toBe(0); // the client's first bidirectional stream (RFC 9000 §2.1)
    }
  });

  it("lets no unit wait for one that comes after it", () => {
    for (const version of HTTP_VERSIONS) {
      for (const c of [EXAMPLE_CONVERSATION, secure]) {
        const units = openingUnits(version, c);
        units.forEach((unit, i) => {
          for (const id of unit.after)
            expect(
              units.findIndex((u) => u.id === id),
              `${version} ${unit.id} after ${id}`,
            ).toBeGreaterThanOrEqual(0);
          for (const id of unit.after) expect(units.findIndex((u) => u.id === id)).toBeLessThan(i);
        });
        expect(new Set(units.map((u) => u.id)).size).toBe(units.length);
      }
    }
  });
});

describe("figures computed from the model", () => {
  it("round trips before the first message on a new connection: TCP + Upgrade, + TLS; HTTP/2 waits for SETTINGS; QUIC folds TLS into its handshake", () => {
    expect(roundTripsToFirstMessage("http/1.1", EXAMPLE_CONVERSATION)).toBe(2);
    expect(roundTripsToFirstMessage("http/1.1", secure)).toBe(3);
    expect(roundTripsToFirstMessage("h2", EXAMPLE_CONVERSATION)).toBe(3);
    expect(roundTripsToFirstMessage("h2", secure)).toBe(3);
    expect(roundTripsToFirstMessage("h3", secure)).toBe(2);
  });

  it("on a connection already open, HTTP/2 and HTTP/3 need one round trip; HTTP/1.1 cannot reuse one", () => {
    expect(roundTripsToFirstMessage("http/1.1", secure, true)).toBeNull();
    expect(roundTripsToFirstMessage("h2", secure, true)).toBe(1);
    expect(roundTripsToFirstMessage("h3", secure, true)).toBe(1);
    expect(HTTP_VERSIONS.map(sharesConnection)).toEqual([false, true, true]);
  });
});
