import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { presenterMachine } from "./presenter.ts";

const start = (count: number, section?: number) => createActor(presenterMachine, { input: { count, section } }).start();

describe("presenter machine", () => {
  it("starts off at the first section", () => {
    const actor = start(9);
    expect(actor.getSnapshot().value).toBe("off");
    expect(actor.getSnapshot().context).toEqual({ section: 0, count: 9, part: 0, parts: {} });
  });

  it("enters and exits, returning to where it was", () => {
    const actor = start(9);
    actor.send({ type: "presenter.enter" });
    expect(actor.getSnapshot().value).toBe("on");
    actor.send({ type: "step.next" });
    actor.send({ type: "step.next" });
    actor.send({ type: "presenter.exit" });
    expect(actor.getSnapshot().value).toBe("off");
    actor.send({ type: "presenter.enter" });
    expect(actor.getSnapshot().context.section).toBe(2);
  });

  it("enters at a named section, clamped", () => {
    const actor = start(5);
    actor.send({ type: "presenter.enter", section: 3 });
    expect(actor.getSnapshot().context.section).toBe(3);
    actor.send({ type: "presenter.enter", section: 40 });
    expect(actor.getSnapshot().context.section).toBe(4);
    actor.send({ type: "presenter.enter", section: -2 });
    expect(actor.getSnapshot().context.section).toBe(0);
  });

  it("steps forward and back, clamping at both ends", () => {
    const actor = start(3);
    actor.send({ type: "presenter.enter" });
    actor.send({ type: "step.previous" });
    expect(actor.getSnapshot().context.section).toBe(0);
    actor.send({ type: "step.next" });
    actor.send({ type: "step.next" });
    actor.send({ type: "step.next" });
    expect(actor.getSnapshot().context.section).toBe(2);
    actor.send({ type: "step.previous" });
    expect(actor.getSnapshot().context.section).toBe(1);
  });

  it("goes to the first, the last and a chosen section", () => {
    const actor = start(7);
    actor.send({ type: "presenter.enter" });
    actor.send({ type: "step.last" });
    expect(actor.getSnapshot().context.section).toBe(6);
    actor.send({ type: "step.first" });
    expect(actor.getSnapshot().context.section).toBe(0);
    actor.send({ type: "step.goto", section: 4 });
    expect(actor.getSnapshot().context.section).toBe(4);
    actor.send({ type: "step.goto", section: 99 });
    expect(actor.getSnapshot().context.section).toBe(6);
    actor.send({ type: "step.goto", section: Number.NaN });
    expect(actor.getSnapshot().context.section).toBe(0);
  });

  it("ignores stepping while off", () => {
    const actor = start(4);
    actor.send({ type: "step.next" });
    actor.send({ type: "step.goto", section: 2 });
    expect(actor.getSnapshot().value).toBe("off");
    expect(actor.getSnapshot().context.section).toBe(0);
  });

  it("has at least one section and clamps its starting section", () => {
    expect(start(0).getSnapshot().context).toMatchObject({ section: 0, count: 1 });
    expect(start(3, 10).getSnapshot().context).toMatchObject({ section: 2, count: 3 });
  });

  it("steps through the parts of a section taller than the screen, both ways", () => {
    const actor = start(4);
    actor.send({ type: "presenter.enter", section: 1 });
    actor.send({ type: "layout.parts", section: 1, parts: 3 });
    actor.send({ type: "layout.parts", section: 2, parts: 2 });
    const at = () => [actor.getSnapshot().context.section, actor.getSnapshot().context.part];
    const moves: number[][] = [];
    for (let i = 0; i < 5; i++) {
      actor.send({ type: "step.next" });
      moves.push(at());
    }
    expect(moves).toEqual([
      [1, 1],
      [1, 2],
      [2, 0],
      [2, 1],
      [3, 0],
    ]);
    actor.send({ type: "step.previous" });
    expect(at()).toEqual([2, 1]);
    actor.send({ type: "step.goto", section: 2 });
    actor.send({ type: "step.previous" });
    expect(at()).toEqual([1, 2]);
    // A re-measure with fewer parts (a wider screen) keeps the part in range.
    actor.send({ type: "layout.parts", section: 1, parts: 1 });
    expect(at()).toEqual([1, 0]);
    actor.send({ type: "presenter.enter", section: 2 });
    expect(at()).toEqual([2, 0]);
    actor.send({ type: "step.part", part: 1 });
    expect(at()).toEqual([2, 1]);
    actor.send({ type: "step.part", part: 9 });
    expect(at()).toEqual([2, 1]);
  });
});
