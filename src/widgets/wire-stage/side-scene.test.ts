import { describe, expect, it } from "vitest";
import { distanceToSegment, markerAt, SideScene } from "./side-scene.ts";
import type { StageItem } from "./stage-items.ts";
import { arrowHead } from "../shared/diagram-geometry.ts";
import { HEAD_PX } from "./stage-layout.ts";
import { TimeAxis } from "./time-axis.ts";

function item(
  id: number,
  departAt: number,
  arriveAt: number | null,
  from: StageItem["from"] = "client",
  label = `m${id}`,
): StageItem {
  return {
    id,
    side: "ws",
    from,
    departAt,
    arriveAt,
    label,
    full: `item ${id}`,
    bytes: 11,
    headerBytes: 6,
    kind: "data",
  };
}

/** A scene 300 px wide and 340 tall at 0.1 px/ms, on an axis kept linear up to `until`. */
function sceneUntil(until: number): SideScene {
  const axis = new TimeAxis();
  axis.markBusy(0, until);
  axis.extendTo(until);
  const scene = new SideScene(() => axis);
  scene.reset(300, 340, 0.1);
  return scene;
}

describe("one side of the wire stage, as data", () => {
  it("puts now at the bottom of the window, above the heading space", () => {
    const scene = sceneUntil(10_000);
    scene.moveTo(5000);
    expect(scene.top).toBeCloseTo(scene.y(5000) - (340 - HEAD_PX - 6), 6);
    expect(scene.windowStart(5000)).toBeGreaterThan(0);
    expect(scene.windowStart(5000)).toBeLessThan(5000);
  });

  it("does not change when the window moved less than a quarter pixel", () => {
    const scene = sceneUntil(10_000);
    scene.moveTo(5000);
    const version = scene.version;
    scene.moveTo(5000.5);
    expect(scene.version).toBe(version);
    scene.moveTo(5100);
    expect(scene.version).toBeGreaterThan(version);
  });

  it("adds an item once it has left, from the browser lane to the lab's, and moves its marker with its progress", () => {
    const scene = sceneUntil(10_000);
    expect(scene.add(item(1, 1000, 1150), 900)).toBeNull();
    const added = scene.add(item(1, 1000, 1150), 1000)!;
    expect(scene.add(item(1, 1000, 1150), 1000)).toBeNull();
    const g = scene.geometry;
    expect([added.x1, added.x2]).toEqual([g.clientX, g.serverX]);
    expect(added.y2).toBeGreaterThan(added.y1);
    expect(markerAt(added)).toEqual({ x: added.x1, y: added.y1 });
    scene.setProgress(1, 0.5);
    expect(markerAt(added).x).toBeCloseTo((g.clientX + g.serverX) / 2, 6);
    scene.setProgress(1, 1);
    expect(markerAt(added)).toEqual({ x: added.x2, y: added.y2 });
  });

  it("draws a lab message from the lab's lane, and a lost one only half way", () => {
    const scene = sceneUntil(10_000);
    const g = scene.geometry;
    const down = scene.add(item(1, 1000, 1150, "server"), 2000)!;
    expect([down.x1, down.x2]).toEqual([g.serverX, g.clientX]);
    const lost = scene.add(item(2, 1200, null), 2000)!;
    expect(lost.lost).toBe(true);
    expect(lost.x2).toBeCloseTo((g.clientX + g.serverX) / 2, 6);
  });

  it("labels an item once, joining a neighbour too close to it, and keeps the join when the owner returns", () => {
    const scene = sceneUntil(10_000);
    scene.add(item(1, 1000, 1150, "client", "“Hello”"), 3000);
    scene.add(item(2, 1010, 1160), 3000);
    scene.add(item(3, 2000, 2150), 3000);
    const labels = [...scene.labels()];
    expect(labels).toHaveLength(2);
    expect(labels.find((l) => l.owner === 1)!.text).toBe("“Hello” 11 B · +1 more");
    scene.remove(1);
    expect([...scene.labels()].map((l) => l.owner)).toEqual([3]);
    scene.add(item(1, 1000, 1150, "client", "“Hello”"), 3000);
    expect([...scene.labels()].find((l) => l.owner === 1)!.text).toBe("“Hello” 11 B · +1 more");
  });

  it("drops what ended before the window, and marks a jump (reset, clear) as a new epoch", () => {
    const scene = sceneUntil(60_000);
    const items = [item(1, 1000, 1150), item(2, 40_000, 40_150)];
    for (const each of items) scene.add(each, 50_000);
    const epoch = scene.epoch;
    scene.removeBefore(30_000, (id) => items.find((each) => each.id === id));
    expect([...scene.items.keys()]).toEqual([2]);
    expect(scene.epoch).toBe(epoch);
    scene.clearItems();
    expect(scene.items.size).toBe(0);
    expect(scene.epoch).toBe(epoch + 1);
  });

  it("places time labels in the window at least 40 px apart, none in the future", () => {
    const scene = sceneUntil(20_000);
    scene.moveTo(10_000);
    expect(scene.ticks.length).toBeGreaterThan(1);
    for (let i = 1; i < scene.ticks.length; i++)
      expect(scene.ticks[i]!.y - scene.ticks[i - 1]!.y).toBeGreaterThanOrEqual(40);
    expect(Math.max(...scene.ticks.map((t) => t.y))).toBeLessThanOrEqual(scene.y(10_000));
  });

  it("finds the arrow under the pointer", () => {
    const scene = sceneUntil(10_000);
    const added = scene.add(item(1, 1000, 1150), 2000)!;
    scene.setProgress(1, 1);
    const mid = { x: (added.x1 + added.x2) / 2, y: (added.y1 + added.y2) / 2 };
    expect(scene.hit(mid.x, mid.y)?.id).toBe(1);
    expect(scene.hit(mid.x, mid.y + 40)).toBeNull();
  });
});

describe("drawing helpers", () => {
  it("measures the distance from a point to a segment", () => {
    expect(distanceToSegment(5, 5, 0, 0, 10, 0)).toBe(5);
    expect(distanceToSegment(-3, 4, 0, 0, 10, 0)).toBe(5);
    expect(distanceToSegment(3, 0, 0, 0, 0, 0)).toBe(3);
  });

  it("points an arrow head along its arrow, its tip on the arrow's end", () => {
    const [tip, left, right] = arrowHead(0, 0, 100, 0);
    expect(tip).toEqual([100, 0]);
    expect(left![0]).toBeCloseTo(91, 6);
    expect(right![0]).toBeCloseTo(91, 6);
    expect(Math.abs(left![1] - right![1])).toBeCloseTo(8, 6);
  });
});
