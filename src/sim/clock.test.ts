import { describe, expect, it } from "vitest";
import { createActor, setup } from "xstate";
import { VirtualClock } from "./clock.ts";
import { createRandom } from "./random.ts";

describe("virtual clock", () => {
  it("runs timers in time order, and in scheduling order at equal times", () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.setTimeout(() => seen.push("b@20"), 20);
    clock.setTimeout(() => seen.push("a@10"), 10);
    clock.setTimeout(() => seen.push("c@20"), 20);
    clock.at(5, () => clock.setTimeout(() => seen.push("d@5"), 0));
    expect(clock.run()).toEqual({ idle: true, steps: 5 });
    expect(seen).toEqual(["d@5", "a@10", "b@20", "c@20"]);
    expect(clock.now()).toBe(20);
  });

  it("cancels timers and stops at a horizon", () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const id = clock.setTimeout(() => seen.push(1), 10);
    clock.setTimeout(() => seen.push(2), 30);
    clock.clearTimeout(id);
    expect(clock.run(25).idle).toBe(false);
    expect(seen).toEqual([]);
    clock.run();
    expect(seen).toEqual([2]);
  });

  it("drives XState's delayed transitions", () => {
    const machine = setup({ delays: { wait: 250 } }).createMachine({
      initial: "a",
      states: { a: { after: { wait: "b" } }, b: {} },
    });
    const clock = new VirtualClock();
    const actor = createActor(machine, { clock }).start();
    clock.run(249);
    expect(actor.getSnapshot().value).toBe("a");
    clock.run();
    expect(actor.getSnapshot().value).toBe("b");
    expect(clock.now()).toBe(250);
  });
});

describe("seeded random", () => {
  it("repeats for a seed and differs between seeds", () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRandom(seed).next);
    const a = createRandom(1);
    const first = [a.next(), a.next(), a.next()];
    const b = createRandom(1);
    expect([b.next(), b.next(), b.next()]).toEqual(first);
    expect(draw(2)).not.toEqual(draw(1));
    for (const x of draw(3)) expect(x >= 0 && x < 1).toBe(true);
  });
});
