import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { presenterMachine } from "./presenter.ts";

const start = (count: number, section?: number) => createActor(presenterMachine, { input: { count, section } }).start();

describe("presenter machine", () => {
  it("starts off at the first section", () => {
    const actor = start(9);
    expect(actor.getSnapshot().value).toBe("off");
    expect(actor.getSnapshot().context).toEqual({ section: 0, count: 9 });
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
    expect(start(0).getSnapshot().context).toEqual({ section: 0, count: 1 });
    expect(start(3, 10).getSnapshot().context).toEqual({ section: 2, count: 3 });
  });
});
