import { describe, expect, it } from "vitest";
import { itemFromTraceMessage, MomentList, formatStageTime } from "./stage-items.ts";

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
    expect(moments.before(11.5)).toBe(10);
  });
});

describe("HTTP items from the simulation", () => {
  it("says which way, what, how big and when it lands", () => {
    const item = itemFromTraceMessage(7, { id: 1, from: "client", sentAt: 0, arrivesAt: 50, connection: 1, layer: "http", label: "POST /echo", bytes: 400, headerBytes: 389 });
    expect(item).toMatchObject({ id: 7, side: "http", from: "client", departAt: 0, arriveAt: 50, kind: "http", bytes: 400 });
    expect(item.full).toContain("browser → server");
    expect(item.full).toContain("389 B of headers");
    expect(formatStageTime(1500)).toBe("1.50 s");
  });
});
