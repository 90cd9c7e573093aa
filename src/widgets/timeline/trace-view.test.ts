import { describe, expect, it } from "vitest";
import type { Trace } from "../../sim/trace.ts";
import { fixture, link, msg } from "./fixture-trace.ts";
import {
  describeMoment,
  formatTime,
  hashWithTime,
  lostAt,
  messageAt,
  timeFromHash,
  traceMoments,
  transcript,
  visibleAt,
} from "./trace-view.ts";

describe("moments", () => {
  it("are every send, arrival, loss and note, sorted and without repeats, from 0 to the end", () => {
    expect(lostAt(fixture.messages[3]!, link)).toBe(125);
    expect(traceMoments(fixture)).toEqual([0, 50, 100, 125, 150, 300, 350, 400, 450]);
  });

  it("stay inside the trace", () => {
    const odd: Trace = { ...fixture, duration: 120, notes: [{ at: -5, peer: "server", kind: "note", text: "before" }] };
    expect(traceMoments(odd)).toEqual([0, 50, 100, 120]);
  });
});

describe("a message at an instant", () => {
  const syn = fixture.messages[0]!;
  const lost = fixture.messages[3]!;

  it("is unsent before it leaves, in flight with its progress, then arrived", () => {
    expect(messageAt(syn, -1, link)).toEqual({ phase: "unsent", progress: 0, reach: 0 });
    expect(messageAt(syn, 0, link)).toEqual({ phase: "flying", progress: 0, reach: 0 });
    expect(messageAt(syn, 12.5, link)).toEqual({ phase: "flying", progress: 0.25, reach: 0.25 });
    expect(messageAt(syn, 50, link)).toEqual({ phase: "arrived", progress: 1, reach: 1 });
  });

  it("ends partway when it is lost", () => {
    expect(messageAt(lost, 112.5, link)).toEqual({ phase: "flying", progress: 0.5, reach: 0.25 });
    expect(messageAt(lost, 125, link)).toEqual({ phase: "lost", progress: 1, reach: 0.5 });
    expect(messageAt(lost, 10_000, link).reach).toBe(0.5);
  });

  it("arrives at once when it takes no time", () => {
    expect(messageAt(msg(9, "client", 10, 10, "instant"), 10, link).phase).toBe("arrived");
  });

  it("sorts what is visible into flying, arrived and lost", () => {
    const v = visibleAt(fixture, 110);
    expect(v.arrived.map((m) => m.id)).toEqual([1, 2]);
    expect(v.flying.map((f) => [f.message.id, f.progress])).toEqual([
      [3, 0.2],
      [4, 0.4],
    ]);
    expect(v.lost).toEqual([]);
    expect(visibleAt(fixture, 300).lost.map((m) => m.id)).toEqual([4]);
    expect(visibleAt(fixture, 300).notes.map((n) => n.text)).toEqual(["retransmission timeout"]);
  });
});

describe("words", () => {
  it("format times", () => {
    expect(formatTime(12)).toBe("12.0 ms");
    expect(formatTime(1250)).toBe("1.25 s");
    expect(formatTime(0)).toBe("0.0 ms");
  });

  it("write a transcript in time order, with sizes and fates", () => {
    const lines = transcript(fixture).map((e) => e.text);
    expect(lines[0]).toBe("0.0 ms: client → server SYN (0 bytes), arrives 50.0 ms");
    expect(lines[3]).toBe("100.0 ms: client → server GET / HTTP/1.1 (78 bytes), lost on the way (gone by 125.0 ms)");
    expect(lines[4]).toBe("300.0 ms: client → server GET / HTTP/1.1 (78 bytes) (retransmission), arrives 350.0 ms");
    expect(lines[5]).toBe("300.0 ms: client: retransmission timeout");
    expect(transcript(fixture).map((e) => e.at)).toEqual([0, 50, 100, 100, 300, 300, 350, 400]);
    expect(transcript(fixture)[3]!.times).toEqual([100, 125]);
  });

  it("name the connection when there are several", () => {
    const two: Trace = { ...fixture, messages: fixture.messages.map((m) => (m.id > 4 ? { ...m, connection: 2 } : m)) };
    expect(transcript(two)[0]!.text).toBe("0.0 ms: client → server SYN (0 bytes) on connection 1, arrives 50.0 ms");
    expect(transcript(two)[4]!.text).toMatch(/on connection 2, arrives 350\.0 ms$/);
  });

  it("describe a moment: arrivals, losses, sends and notes", () => {
    expect(describeMoment(fixture, 50)).toBe(
      "At 50.0 ms: SYN arrives at the server. The server sends SYN-ACK (0 bytes).",
    );
    expect(describeMoment(fixture, 125)).toBe("At 125.0 ms: GET / HTTP/1.1 from the client is lost.");
    expect(describeMoment(fixture, 450)).toBe("At 450.0 ms: the end of the simulation.");
    const dup: Trace = { ...fixture, messages: [1, 2, 3].map((id) => ({ ...fixture.messages[1]!, id })) };
    expect(describeMoment(dup, 100)).toBe("At 100.0 ms: SYN-ACK arrives at the client (3 times).");
    expect(describeMoment(fixture, 0)).toMatch(/^At 0\.0 ms: The client sends SYN/);
  });
});

describe("deep links", () => {
  it("read this timeline's time from the hash", () => {
    expect(timeFromHash("#timeline-tcp=125", "tcp")).toBe(125);
    expect(timeFromHash("#timeline-tcp=62.35", "tcp")).toBe(62.35);
    expect(timeFromHash("timeline-tcp=3", "tcp")).toBe(3);
    expect(timeFromHash("#timeline-a=10&timeline-tcp=20", "tcp")).toBe(20);
  });

  it("ignore hashes that do not name this timeline", () => {
    for (const hash of [
      "",
      "#",
      "#intro",
      "#timeline-tcp=",
      "#timeline-tcp=abc",
      "#timeline-tcp=-3",
      "#timeline-tcp=1e3",
      "#timeline-other=5",
      "#timeline-tcpx=5",
      "#handshake-step=2",
    ]) {
      expect(timeFromHash(hash, "tcp"), hash).toBeNull();
    }
  });

  it("write this timeline's pair, keeping other timelines' and dropping anything else", () => {
    expect(hashWithTime("", "tcp", 125)).toBe("#timeline-tcp=125");
    expect(hashWithTime("#intro", "tcp", 62.3456)).toBe("#timeline-tcp=62.346");
    expect(hashWithTime("#timeline-a=10&timeline-tcp=20", "tcp", 30)).toBe("#timeline-a=10&timeline-tcp=30");
    for (const t of [0, 50, 62.35, 1250]) expect(timeFromHash(hashWithTime("#timeline-b=1", "x", t), "x")).toBe(t);
  });
});
