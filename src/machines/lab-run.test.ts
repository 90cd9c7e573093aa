import { describe, expect, it } from "vitest";
import { createActor, fromPromise, waitFor } from "xstate";
import { labRunMachine } from "./lab-run.ts";

describe("labRunMachine", () => {
  it("runs a request and shows its result; a press while running is ignored", async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const runRequest = fromPromise<unknown, { request: string }>(async ({ input }) => {
      calls++;
      expect(input.request).toBe("unmasked");
      await gate;
      return ["result"];
    });
    const actor = createActor(labRunMachine.provide({ actors: { runRequest } })).start();
    actor.send({ type: "run", request: "unmasked" });
    actor.send({ type: "run", request: "bad-utf8" });
    expect(actor.getSnapshot().value).toBe("running");
    release();
    await waitFor(actor, (s) => s.matches("shown"));
    expect(calls).toBe(1);
    expect(actor.getSnapshot().context).toMatchObject({ request: "unmasked", result: ["result"], problem: "" });
  });

  it("reports the lab's refusal and lets the reader try again", async () => {
    let fail = true;
    const runRequest = fromPromise<unknown, { request: string }>(async () => {
      if (fail) throw new Error("Too many runs from your address: wait a second and try again.");
      return "ok";
    });
    const actor = createActor(labRunMachine.provide({ actors: { runRequest } })).start();
    actor.send({ type: "run", request: "too-big" });
    await waitFor(actor, (s) => s.matches("failed"));
    expect(actor.getSnapshot().context.problem).toMatch(/^Too many runs/);
    fail = false;
    actor.send({ type: "run", request: "too-big" });
    await waitFor(actor, (s) => s.matches("shown"));
    expect(actor.getSnapshot().context).toMatchObject({ problem: "", result: "ok" });
  });
});
