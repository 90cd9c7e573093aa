import { describe, expect, it } from "vitest";
import { createActor, fromPromise, waitFor } from "xstate";
import type { TapEvent } from "../protocol/tap-events.ts";
import { misbehaveRunMachine } from "./misbehave-run.ts";

const closed: TapEvent = { type: "close", t: 1, specimen: 1, code: 1002, reason: "", initiator: "server", wasClean: true };

describe("misbehaveRunMachine", () => {
  it("runs a case and shows its events; a press while running is ignored", async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const actor = createActor(misbehaveRunMachine.provide({ actors: { runCase: fromPromise(async ({ input }) => { calls++; expect(input.name).toBe("unmasked"); await gate; return [closed] as TapEvent[]; }) } })).start();
    actor.send({ type: "run", name: "unmasked" });
    actor.send({ type: "run", name: "bad-utf8" });
    expect(actor.getSnapshot().value).toBe("running");
    release();
    await waitFor(actor, (s) => s.matches("shown"));
    expect(calls).toBe(1);
    expect(actor.getSnapshot().context).toMatchObject({ chosen: "unmasked", events: [closed], problem: "" });
  });

  it("reports the lab's refusal and lets the reader try again", async () => {
    let fail = true;
    const actor = createActor(misbehaveRunMachine.provide({ actors: { runCase: fromPromise(async () => { if (fail) throw new Error("Too many runs from your address: wait a second and try again."); return [closed] as TapEvent[]; }) } })).start();
    actor.send({ type: "run", name: "too-big" });
    await waitFor(actor, (s) => s.matches("failed"));
    expect(actor.getSnapshot().context.problem).toMatch(/^Too many runs/);
    fail = false;
    actor.send({ type: "run", name: "too-big" });
    await waitFor(actor, (s) => s.matches("shown"));
    expect(actor.getSnapshot().context.problem).toBe("");
  });
});
