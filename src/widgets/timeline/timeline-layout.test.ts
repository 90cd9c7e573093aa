import { describe, expect, it } from "vitest";
import type { Trace } from "../../sim/trace.ts";
import {
  arrowLabel,
  ellipsize,
  layoutDiagram,
  pointAlong,
  quietStretches,
  spreadDown,
  tickStep,
  yAt,
} from "./timeline-layout.ts";
import { fixture } from "./fixture-trace.ts";

describe("diagram layout", () => {
  const layout = layoutDiagram(fixture, 640);

  it("is as wide as its box, client lane left of the server lane", () => {
    expect(layout.width).toBe(640);
    expect(layout.clientX).toBeLessThan(layout.serverX);
    expect(layout.serverX).toBeLessThan(640);
    expect(layoutDiagram(fixture, 100).width).toBe(280);
  });

  it("runs time down, arrows sloping by their travel time", () => {
    const syn = layout.arrows[0]!;
    expect(syn.start).toEqual({ x: layout.clientX, y: yAt(layout, 0) });
    expect(syn.end).toEqual({ x: layout.serverX, y: yAt(layout, 50) });
    const synAck = layout.arrows[1]!;
    expect(synAck.start.x).toBe(layout.serverX);
    expect(synAck.end.x).toBe(layout.clientX);
    expect(synAck.end.y - synAck.start.y).toBeCloseTo(syn.end.y - syn.start.y, 9);
    // The shortest whole trip (50 ms) drops visibly.
    expect(50 * layout.scale).toBeGreaterThanOrEqual(44 - 1e-9);
    expect(layout.height).toBeGreaterThanOrEqual(yAt(layout, fixture.duration));
  });

  it("ends a lost message's arrow halfway across, at its ✗ time", () => {
    const lost = layout.arrows[3]!;
    expect(lost.lost).toBe(true);
    expect(lost.end.x).toBeCloseTo((layout.clientX + layout.serverX) / 2, 9);
    // It leaves at the same instant as the ACK, so it is drawn one bundle step lower.
    expect(lost.end.y).toBeCloseTo(yAt(layout, 125) + 5, 9);
    expect(lost.start.y).toBeCloseTo(yAt(layout, 100) + 5, 9);
  });

  it("draws same-instant messages side by side and labels identical ones once", () => {
    const acks: Trace = {
      ...fixture,
      messages: [1, 2, 3].map((id) => ({ ...fixture.messages[1]!, id, label: "ACK 537" })),
    };
    const l = layoutDiagram(acks, 640);
    expect(l.arrows.map((a) => a.start.y - l.arrows[0]!.start.y)).toEqual([0, 5, 10]);
    expect(l.arrows.map((a) => a.label.text)).toEqual(["ACK 537 · 0 B ×3", "", ""]);
    expect(l.arrows[0]!.label.full).toBe("ACK 537 · 0 bytes ×3");
  });

  it("finds points along an arrow", () => {
    const syn = layout.arrows[0]!;
    expect(pointAlong(syn, 0)).toEqual(syn.start);
    expect(pointAlong(syn, 1)).toEqual(syn.end);
    expect(pointAlong(syn, 0.5).x).toBeCloseTo((syn.start.x + syn.end.x) / 2, 9);
    expect(pointAlong(syn, 7)).toEqual(syn.end);
  });

  it("keeps labels apart and in order", () => {
    const ys = layout.arrows.map((a) => a.label.y);
    // ACK and the lost GET leave at the same instant: their labels must not overlap.
    expect(Math.abs(ys[3]! - ys[2]!)).toBeGreaterThanOrEqual(15);
    expect(layout.arrows.every((a) => a.label.text.includes(" B"))).toBe(true);
  });

  it("puts notes beside their lane, outside the arrows", () => {
    const [timeout] = layout.notes;
    expect(timeout!.mark).toEqual({ x: layout.clientX, y: yAt(layout, 300) });
    expect(timeout!.text.anchor).toBe("end");
    expect(timeout!.text.x).toBeLessThan(layout.clientX);
  });

  it("keeps only the notes' marks on a narrow screen, giving the arrows' labels the room", () => {
    const narrow = layoutDiagram(fixture, 360);
    expect(narrow.notes.every((n) => n.text.text === "" && n.text.full !== "")).toBe(true);
    expect(narrow.serverX - narrow.clientX).toBeGreaterThan(360 * 0.6);
    expect(layout.notes.every((n) => n.text.text !== "")).toBe(true);
  });

  it("caps the height of a long trace", () => {
    const long: Trace = { ...fixture, duration: 600_000 };
    expect(layoutDiagram(long, 640).height).toBeLessThan(4000);
  });

  it("labels the time axis with round steps", () => {
    expect(tickStep(75)).toBe(100);
    expect(tickStep(1500)).toBe(2000);
    expect(tickStep(100)).toBe(100);
    // 150–300 ms is folded (nothing in flight while the timer runs): no tick inside it.
    expect(layout.ticks.map((t) => t.label)).toEqual(["0", "100 ms", "300 ms", "400 ms"]);
  });

  it("folds a long quiet stretch into a short band, and keeps every slope true", () => {
    // The retransmission timer now runs for 2.7 s with nothing on the wire.
    const slow: Trace = {
      ...fixture,
      messages: fixture.messages.map((m) =>
        m.id >= 5 ? { ...m, sentAt: m.sentAt + 2700, arrivesAt: m.arrivesAt! + 2700 } : m,
      ),
      notes: fixture.notes.map((n) => ({ ...n, at: n.at + 2700 })),
      duration: 3150,
    };
    expect(quietStretches(slow, 500)).toEqual([[150, 3000]]);
    const folded = layoutDiagram(slow, 640);
    expect(folded.quiet).toHaveLength(1);
    expect(folded.quiet[0]!.label).toBe("2.85 s with nothing on the wire");
    expect(folded.quiet[0]!.y1 - folded.quiet[0]!.y0).toBe(40);
    expect(folded.height).toBeLessThan(layout.height + 200);
    for (const a of folded.arrows) {
      const m = slow.messages.find((x) => x.id === a.id)!;
      const trip = (m.arrivesAt ?? m.sentAt + 25) - m.sentAt;
      expect(a.end.y - a.start.y).toBeCloseTo(trip * folded.scale, 9);
    }
    // Time keeps running inside the fold, so the "now" line moves through it.
    expect(yAt(folded, 1575)).toBeCloseTo((folded.quiet[0]!.y0 + folded.quiet[0]!.y1) / 2, 9);
    expect(folded.ticks.every((t) => t.t <= 150 || t.t >= 3000)).toBe(true);
  });
});

describe("labels", () => {
  it("ellipsize long text and keep short text", () => {
    expect(ellipsize("SYN", 10)).toBe("SYN");
    expect(ellipsize("GET /a/very/long/path HTTP/1.1", 12)).toBe("GET /a/very…");
    expect([...ellipsize("“héllo” wörld and more", 8)]).toHaveLength(8);
  });

  it("always keep the size, shortening only what the message is", () => {
    expect(arrowLabel("SYN", 0, 40)).toBe("SYN · 0 B");
    const long = arrowLabel("GET /a/very/long/path HTTP/1.1", 1234, 24);
    expect(long).toMatch(/… · 1,234 B$/);
    expect(long.length).toBeLessThanOrEqual(24);
    expect(arrowLabel("GET /", 78, 40, true)).toBe("GET / · 78 B · again");
  });

  it("spread positions that would collide, keeping their order", () => {
    expect(spreadDown([10, 10, 12, 100], 15)).toEqual([10, 25, 40, 100]);
    expect(spreadDown([50, 10], 15)).toEqual([50, 10]);
  });
});
