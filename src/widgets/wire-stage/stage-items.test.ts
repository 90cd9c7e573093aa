import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MomentList, SimulatedItem, formatStageTime } from "./stage-items.ts";

describe("moments of the stage", () => {
  it("stays sorted and distinct when times come almost in order", () => {
    const moments = new MomentList();
    for (const t of [0, 50, 40, 100, 100, 75]) moments.add(t);
    expect(moments.length).toBe(5);
    expect(moments.after(40)).toBe(50);
    expect(moments.before(75)).toBe(50);
    expect(moments.before(0)).toBeNull();
    expect(moments.after(100)).toBeNull();
    expect(moments.indexAt(60)).toBe(3);
    expect(moments.timeOf(3)).toBe(50);
    expect(moments.timeOf(0)).toBe(0);
    expect(moments.timeOf(99)).toBe(100);
  });

  it("treats instants within a millisecond as one step", () => {
    const moments = new MomentList();
    for (const t of [10, 10.03, 9.99, 11.5]) moments.add(t);
    expect(moments.length).toBe(2);
    // A moment is stopped at its last instant, so everything in it has happened.
    expect(moments.before(11.5)).toBe(10.03);
    expect(moments.indexAt(10)).toBe(0);
    expect(moments.indexAt(10.03)).toBe(1);
  });

  it("numbers the same instants alike whatever order they come in (a live session and its replay)", () => {
    const numbering = (times: number[]) => {
      const moments = new MomentList();
      for (const t of times) moments.add(t);
      return Array.from({ length: moments.length }, (_, i) => moments.timeOf(i + 1));
    };
    // 0.6 joins 0 and 1.2 into one moment whether it comes first, last or between them.
    expect(numbering([0, 1.2, 0.6])).toEqual([1.2]);
    expect(numbering([0.6, 0, 1.2])).toEqual([1.2]);
    const instants = fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { maxLength: 40 });
    fc.assert(
      fc.property(instants, fc.infiniteStream(fc.nat()), (times, picks) => {
        const shuffled = [...times];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = picks.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(numbering(shuffled)).toEqual(numbering([...times].sort((a, b) => a - b)));
      }),
    );
  });
});

describe("HTTP items from the simulation", () => {
  it("says which way, what, how big and when it lands", () => {
    const item = new SimulatedItem(7, {
      id: 1,
      from: "client",
      sentAt: 0,
      arrivesAt: 50,
      connection: 1,
      layer: "http",
      label: "POST /echo",
      bytes: 400,
      headerBytes: 389,
    });
    expect(item).toMatchObject({
      id: 7,
      side: "http",
      from: "client",
      departAt: 0,
      arriveAt: 50,
      kind: "http",
      bytes: 400,
    });
    expect(item.full).toContain("browser → server");
    expect(item.full).toContain("389 B of headers");
    expect(formatStageTime(1500)).toBe("1.50 s");
  });
});
