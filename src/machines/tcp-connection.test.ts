import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { Network } from "../sim/network.ts";
import { defaultLink, runScenario } from "../scenarios/run-scenario.ts";
import { SegmentWire } from "../sim/segments.ts";
import type { Segment } from "../sim/segments.ts";
import type { LinkSettings, Trace } from "../sim/trace.ts";
import { receiveSegment, SEGMENT_BYTES, tcpConnectionMachine } from "./tcp-connection.ts";

const run = (link: Partial<LinkSettings> = {}, dataSegments = 4, dropSegment: number | null = 1) =>
  runScenario({ kind: "tcp", link: { ...defaultLink, ...link }, dataSegments, dropSegment });

/** The byte ranges the server handed to its application, in the order it did. */
const handedOver = (trace: Trace) =>
  trace.notes.filter((n) => n.kind === "delivered" && n.byteRange).map((n) => n.byteRange!);

function expectInOrderAndComplete(trace: Trace, segments: number) {
  const ranges = handedOver(trace);
  let next = 1;
  for (const r of ranges) {
    expect(r.first).toBe(next); // never a gap, never a byte twice
    expect(r.last).toBeGreaterThanOrEqual(r.first);
    next = r.last + 1;
  }
  expect(next - 1).toBe(segments * SEGMENT_BYTES);
}

describe("TCP connection", () => {
  it("opens with SYN, SYN-ACK, ACK, with seq/ack numbers one past each ISN", () => {
    const [syn, synAck, ack] = run().messages;
    expect([syn!.tcp!.flags, synAck!.tcp!.flags, ack!.tcp!.flags]).toEqual([["SYN"], ["SYN", "ACK"], ["ACK"]]);
    expect(synAck!.tcp!.ack).toBe((syn!.tcp!.seq + 1) >>> 0);
    expect(ack!.tcp!.seq).toBe((syn!.tcp!.seq + 1) >>> 0);
    expect(ack!.tcp!.ack).toBe((synAck!.tcp!.seq + 1) >>> 0);
    expect(syn!.opensRoundTrip).toBe(true);
    // A seeded ISN, not zero, and a different one for another seed.
    expect(syn!.tcp!.seq).not.toBe(0);
    expect(run({ seed: 2 }).messages[0]!.tcp!.seq).not.toBe(syn!.tcp!.seq);
  });

  it("numbers data by byte and acknowledges cumulatively: a gap repeats the same ACK", () => {
    const trace = run();
    const isn = trace.messages[0]!.tcp!.seq;
    const data = trace.messages.filter((m) => m.from === "client" && m.tcp!.payload > 0 && !m.retransmission);
    expect(data.map((m) => (m.tcp!.seq - isn) >>> 0)).toEqual([1, 537, 1073, 1609]);
    const acks = trace.messages.filter((m) => m.from === "server" && m.label.startsWith("ACK "));
    expect(acks.map((m) => (m.tcp!.ack - isn) >>> 0)).toEqual([537, 537, 537, 2145, 2146]);
    expect(acks.map((m) => m.label)).toEqual(["ACK 537", "ACK 537", "ACK 537", "ACK 2145", "ACK 2146"]);
  });

  it("retransmits a dropped segment after the timeout and still hands the bytes over in order", () => {
    const trace = run();
    const lost = trace.messages.filter((m) => m.arrivesAt === null);
    expect(lost.map((m) => m.label)).toEqual(["bytes 537–1072"]);
    const again = trace.messages.find((m) => m.retransmission)!;
    expect(again.label).toBe("bytes 537–1072");
    expect(again.tcp!.seq).toBe(lost[0]!.tcp!.seq);
    expect(again.arrivesAt).not.toBeNull();
    // The timer restarts when the first ACK arrives (RFC 6298 §5.3) at 200 ms; the RTO is 1 s.
    expect(again.sentAt).toBe(1200);
    expect(handedOver(trace)).toEqual([
      { first: 1, last: 536 },
      { first: 537, last: 2144 },
    ]);
    expectInOrderAndComplete(trace, 4);
    expect(trace.notes.some((n) => n.peer === "server" && n.text.includes("buffered"))).toBe(true);
  });

  it("closes with FIN and ACK each way", () => {
    const tail = run().messages.slice(-4);
    expect(tail.map((m) => `${m.from} ${m.tcp!.flags.join(",")}`)).toEqual([
      "client FIN,ACK",
      "server ACK",
      "server FIN,ACK",
      "client ACK",
    ]);
    expect(tail[1]!.tcp!.ack).toBe((tail[0]!.tcp!.seq + 1) >>> 0);
    expect(tail[3]!.tcp!.ack).toBe((tail[2]!.tcp!.seq + 1) >>> 0);
  });

  it.each([0, 3, null])("drops segment %s as asked", (drop) => {
    const trace = run({}, 4, drop);
    expect(trace.messages.filter((m) => m.retransmission)).toHaveLength(drop === null ? 0 : 1);
    expectInOrderAndComplete(trace, 4);
  });

  it.each(Array.from({ length: 20 }, (_, i) => i + 1))(
    "completes over a lossy, jittery link, all bytes in order (seed %i)",
    (seed) => {
      const net = new Network({ ...defaultLink, lossRate: 0.25, jitterMs: 30, seed });
      const wire = new SegmentWire(net);
      const actor = createActor(tcpConnectionMachine, {
        clock: net.clock,
        input: { wire, dataSegments: 6, dropSegment: 2, rtoMs: net.rto },
      });
      wire.attach((e) => actor.send(e));
      actor.start();
      net.clock.run(600_000);
      expect(actor.getSnapshot().value).toEqual({ client: "timeWait", server: "closed" });
      expectInOrderAndComplete(net.trace("tcp", "", 0), 6);
    },
  );

  it("survives the loss of the handshake's segments", () => {
    // The first SYN and the first SYN-ACK of some seed are lost: find one and check the recovery.
    const trace = [...Array(200).keys()]
      .map((seed) => run({ lossRate: 0.5, seed }))
      .find(
        (t) =>
          t.messages[0]!.arrivesAt === null && t.messages.some((m) => m.label === "SYN, ACK" && m.arrivesAt === null),
      )!;
    expect(trace).toBeDefined();
    expect(trace.messages.filter((m) => m.label === "SYN" && m.retransmission).length).toBeGreaterThan(0);
    expectInOrderAndComplete(trace, 4);
  });
});

describe("receiveSegment", () => {
  const data = (seq: number, len = 10, flags = ["ACK"]): Segment => ({ flags, seq, ack: 1, len });

  it("buffers beyond a gap and hands over everything once the gap fills", () => {
    let state: { rcvNxt: number; outOfOrder: Segment[] } = { rcvNxt: 1, outOfOrder: [] };
    const gap = receiveSegment(state, data(21));
    expect(gap).toMatchObject({ verdict: "out-of-order", rcvNxt: 1, delivered: [] });
    state = gap;
    state = receiveSegment(state, data(11));
    expect(state).toMatchObject({ rcvNxt: 1, outOfOrder: [{ seq: 11 }, { seq: 21 }] });
    const filled = receiveSegment(state, data(1));
    expect(filled).toMatchObject({
      verdict: "in-order",
      rcvNxt: 31,
      outOfOrder: [],
      delivered: [{ first: 1, last: 30 }],
    });
    expect(receiveSegment(filled, data(11))).toMatchObject({ verdict: "duplicate", rcvNxt: 31, delivered: [] });
  });

  it("counts a FIN as one sequence number and reaches it only in order", () => {
    const early = receiveSegment({ rcvNxt: 1, outOfOrder: [] }, data(11, 0, ["FIN", "ACK"]));
    expect(early).toMatchObject({ finReached: false, verdict: "out-of-order" });
    const done = receiveSegment(early, data(1));
    expect(done).toMatchObject({ finReached: true, rcvNxt: 12, delivered: [{ first: 1, last: 10 }] });
  });
});
