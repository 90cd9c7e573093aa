import { describe, expect, it } from "vitest";
import { createActor, fromPromise, SimulatedClock } from "xstate";
import { handshakeExample } from "../protocol/rfc-examples.ts";
import { buildClientRequest, buildServerResponse } from "../protocol/handshake.ts";
import { latin1Decode } from "../protocol/http1-text.ts";
import {
  CAPTURE_TIMEOUT_MS,
  CAPTURING_NOTICE,
  LIVE_NOTICE,
  RECORDED_NOTICE,
  handshakeStepperMachine,
} from "./handshake-stepper.ts";
import {
  STEPS,
  STEP_COUNT,
  describeStep,
  hashForStep,
  hashNamesStep,
  prepareHandshake,
  splitLines,
  stepFromHash,
  type PreparedHandshake,
} from "../protocol/handshake-steps.ts";

const recorded = () => prepareHandshake(handshakeExample.request, handshakeExample.response, null, "recorded");

/** A handshake as a browser would send it, with the 101 a correct server writes. */
async function liveLike(): Promise<PreparedHandshake> {
  const key = "AQIDBAUGBwgJCgsMDQ4PEA==";
  const request = buildClientRequest({
    host: "127.0.0.1:4321",
    path: "/lab/echo?watch=abcdefghijklmnopqrstuv",
    key,
    origin: "http://127.0.0.1:4321",
    extensions: ["permessage-deflate; client_max_window_bits"],
    headers: [
      ["User-Agent", "Test/1.0"],
      ["Cookie", "a=b"],
    ],
  });
  const response = await buildServerResponse({ key });
  if (!request.ok || !response.ok) throw new Error("the test handshake could not be written");
  return prepareHandshake(
    request.bytes,
    response.bytes,
    { clientAddress: "127.0.0.1", clientPort: 51234, serverAddress: "127.0.0.1", serverPort: 4321 },
    "live",
  );
}

function start(recordedHandshake: PreparedHandshake, capture?: () => Promise<PreparedHandshake>, index?: number) {
  const clock = new SimulatedClock();
  const machine = capture
    ? handshakeStepperMachine.provide({ actors: { capture: fromPromise(capture) } })
    : handshakeStepperMachine;
  const actor = createActor(machine, { input: { recorded: recordedHandshake, index }, clock });
  actor.start();
  return { actor, clock, index: () => actor.getSnapshot().context.index };
}

describe("handshake stepper machine", () => {
  it("has six steps, in the order of the handshake", () => {
    expect(STEP_COUNT).toBe(6);
    expect(STEPS.map((s) => s.id)).toEqual(["tcp", "request", "validate", "accept", "response", "open"]);
  });

  it("steps forward and back, and stops at both ends", async () => {
    const { actor, index } = start(await recorded());
    expect(index()).toBe(0);
    actor.send({ type: "step.previous" });
    expect(index()).toBe(0);
    for (let i = 1; i < STEP_COUNT; i++) {
      actor.send({ type: "step.next" });
      expect(index()).toBe(i);
    }
    actor.send({ type: "step.next" });
    expect(index()).toBe(STEP_COUNT - 1);
    actor.send({ type: "step.previous" });
    expect(index()).toBe(STEP_COUNT - 2);
  });

  it("jumps to the first and last steps", async () => {
    const { actor, index } = start(await recorded());
    actor.send({ type: "step.last" });
    expect(index()).toBe(5);
    actor.send({ type: "step.last" });
    expect(index()).toBe(5);
    actor.send({ type: "step.first" });
    expect(index()).toBe(0);
    actor.send({ type: "step.first" });
    expect(index()).toBe(0);
  });

  it("goes to a step by index and ignores indices that are not steps", async () => {
    const { actor, index } = start(await recorded());
    actor.send({ type: "step.goto", index: 3 });
    expect(index()).toBe(3);
    for (const bad of [-1, 6, 2.5, Number.NaN, Infinity]) {
      actor.send({ type: "step.goto", index: bad });
      expect(index()).toBe(3);
    }
    actor.send({ type: "step.goto", index: 0 });
    expect(index()).toBe(0);
  });

  it("starts on the step it is given (a deep link), or the first when that is not a step", async () => {
    expect(start(await recorded(), undefined, 4).index()).toBe(4);
    expect(start(await recorded(), undefined, 9).index()).toBe(0);
  });

  it("loads a handshake and keeps the reader's step", async () => {
    const { actor, index } = start(await recorded());
    expect(actor.getSnapshot().context.notice).toBe(RECORDED_NOTICE);
    actor.send({ type: "step.goto", index: 3 });
    const live = await liveLike();
    actor.send({ type: "handshake.loaded", handshake: live });
    expect(index()).toBe(3);
    expect(actor.getSnapshot().context.handshake).toBe(live);
    expect(actor.getSnapshot().context.notice).toBe(LIVE_NOTICE);
  });

  it("shows a captured handshake as live", async () => {
    const live = await liveLike();
    const { actor } = start(await recorded(), () => Promise.resolve(live));
    actor.send({ type: "capture.requested" });
    expect(actor.getSnapshot().matches("capturing")).toBe(true);
    expect(actor.getSnapshot().context.notice).toBe(CAPTURING_NOTICE);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(actor.getSnapshot().matches("showing")).toBe(true);
    expect(actor.getSnapshot().context.handshake.source).toBe("live");
    expect(actor.getSnapshot().context.notice).toBe(LIVE_NOTICE);
  });

  it("falls back to the recorded example, saying why, when the capture fails", async () => {
    const rec = await recorded();
    const { actor } = start(rec, () =>
      Promise.reject(new Error("The lab's monitor could not be opened: closed with 1006")),
    );
    actor.send({ type: "handshake.loaded", handshake: await liveLike() });
    actor.send({ type: "capture.requested" });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const { context } = actor.getSnapshot();
    expect(context.handshake).toBe(rec);
    expect(context.notice).toMatch(/recorded example/i);
    expect(context.notice).toMatch(/monitor could not be opened: closed with 1006\.$/);
  });

  it("gives up after the capture timeout on the simulated clock, and lets the reader step meanwhile", async () => {
    const rec = await recorded();
    const { actor, clock, index } = start(rec, () => new Promise<PreparedHandshake>(() => {}));
    actor.send({ type: "capture.requested" });
    actor.send({ type: "step.next" });
    expect(index()).toBe(1);
    clock.increment(CAPTURE_TIMEOUT_MS - 1);
    expect(actor.getSnapshot().matches("capturing")).toBe(true);
    clock.increment(1);
    expect(actor.getSnapshot().matches("showing")).toBe(true);
    expect(actor.getSnapshot().context.handshake).toBe(rec);
    expect(actor.getSnapshot().context.notice).toMatch(/within 5 seconds/);
    expect(index()).toBe(1);
  });

  it("ignores a capture that finishes after the timeout", async () => {
    let finish: (h: PreparedHandshake) => void = () => {};
    const { actor, clock } = start(
      await recorded(),
      () => new Promise<PreparedHandshake>((resolve) => (finish = resolve)),
    );
    actor.send({ type: "capture.requested" });
    clock.increment(CAPTURE_TIMEOUT_MS);
    finish(await liveLike());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(actor.getSnapshot().context.handshake.source).toBe("recorded");
  });
});

describe("prepareHandshake", () => {
  it("recomputes the RFC 6455 §1.3 accept value from the example's key and reports a match", async () => {
    const hs = await recorded();
    expect(hs.key).toBe(handshakeExample.key);
    expect(hs.acceptComputation).toEqual({
      key: handshakeExample.key,
      guid: "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
      concatenated: "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
      sha1Hex: handshakeExample.acceptSha1Hex,
      computed: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
    });
    expect(hs.accept).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect(hs.acceptMatches).toBe(true);
    expect(hs.responseCheck).toEqual({ ok: true, failures: [] });
    expect(hs.status).toBe(101);
    // The key is base64 of the ASCII text "the sample nonce".
    expect(hs.keyBytesHex).toBe(
      Array.from(handshakeExample.keyText, (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join(" "),
    );
  });

  it("passes every check of §4.2.1 for the RFC example, and the server answers 101", async () => {
    const { validation } = await recorded();
    expect(validation.ok).toBe(true);
    expect(validation.status).toBe(101);
    expect(validation.failures).toEqual([]);
    expect(validation.checks.map((c) => c.id)).toEqual([
      "method",
      "http-version",
      "host",
      "upgrade",
      "connection",
      "key",
      "version",
      "origin",
    ]);
    expect(validation.checks.every((c) => c.ok)).toBe(true);
  });

  it("reports a mismatch when the response's accept value is wrong", async () => {
    const tampered = handshakeExample.response.replace("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    const hs = await prepareHandshake(handshakeExample.request, tampered, null, "recorded");
    expect(hs.accept).toBe("AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    expect(hs.acceptComputation?.computed).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect(hs.acceptMatches).toBe(false);
    expect(hs.responseCheck.ok).toBe(false);
    expect(hs.responseCheck.failures.map((f) => f.reason)).toEqual(["accept-mismatch"]);
    const view = describeStep(4, hs);
    expect(view.acceptCheck).toMatchObject({
      matches: false,
      sent: "AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      computed: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
    });
    expect(view.acceptCheck?.text).toMatch(/^Mismatch/);
  });

  it("reports 426 and version-not-13 for a request with the wrong version", async () => {
    const request = handshakeExample.request.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8");
    const { validation } = await prepareHandshake(request, handshakeExample.response, null, "recorded");
    expect(validation.ok).toBe(false);
    expect(validation.status).toBe(426);
    expect(validation.failures.map((f) => f.reason)).toEqual(["version-not-13"]);
    const version = validation.checks.find((c) => c.id === "version")!;
    expect(version).toMatchObject({ ok: false, reasons: ["version-not-13"] });
    expect(validation.checks.filter((c) => !c.ok)).toEqual([version]);
  });

  it("reports 400 and upgrade-missing for a request without Upgrade", async () => {
    const request = handshakeExample.request.replace("Upgrade: websocket\r\n", "");
    const hs = await prepareHandshake(request, handshakeExample.response, null, "recorded");
    expect(hs.validation.ok).toBe(false);
    expect(hs.validation.status).toBe(400);
    expect(hs.validation.failures.map((f) => f.reason)).toEqual(["upgrade-missing"]);
    expect(hs.validation.checks.find((c) => c.id === "upgrade")).toMatchObject({
      ok: false,
      reasons: ["upgrade-missing"],
    });
    const view = describeStep(2, hs);
    expect(view.headers.request.map((h) => h.toLowerCase())).not.toContain("upgrade");
    expect(view.paragraphs.join(" ")).toMatch(/400 Bad Request: upgrade-missing/);
  });

  it("reports a request that is not HTTP at all as one failed check", async () => {
    const hs = await prepareHandshake("HELLO\r\n\r\n", handshakeExample.response, null, "recorded");
    expect(hs.validation.ok).toBe(false);
    expect(hs.validation.checks).toHaveLength(1);
    expect(hs.validation.checks[0]).toMatchObject({ id: "readable", ok: false, reasons: ["malformed-http"] });
  });

  it("reads captured bytes as they were on the wire, one character per byte", async () => {
    const hs = await liveLike();
    expect(hs.source).toBe("live");
    expect(hs.acceptMatches).toBe(true);
    expect(hs.validation.ok).toBe(true);
    for (const [text, lines] of [
      [hs.request, hs.requestLines],
      [hs.response, hs.responseLines],
    ] as const) {
      expect(lines.map((l) => text.slice(l.offset, l.offset + l.length)).join("")).toBe(text);
      expect(lines.at(-1)!.kind).toBe("end");
    }
  });
});

describe("step views", () => {
  it("list only headers that really exist in the request and response, on the lines that hold them", async () => {
    const broken = await prepareHandshake(
      handshakeExample.request.replace("Origin: http://example.com\r\n", "").replace("Connection: Upgrade\r\n", ""),
      handshakeExample.response.replace("Sec-WebSocket-Protocol: chat\r\n", ""),
      null,
      "recorded",
    );
    for (const hs of [await recorded(), await liveLike(), broken]) {
      for (let i = 0; i < STEP_COUNT; i++) {
        const view = describeStep(i, hs);
        for (const message of ["request", "response"] as const) {
          const lines = message === "request" ? hs.requestLines : hs.responseLines;
          const text = message === "request" ? hs.request : hs.response;
          for (const name of view.headers[message]) {
            expect(
              lines.some((l) => l.kind === "field" && l.name === name),
              `${STEPS[i]!.id}: ${message} has ${name}`,
            ).toBe(true);
          }
          for (const involved of view.lines.filter((l) => l.message === message)) {
            expect(lines[involved.line], `${STEPS[i]!.id}: line ${involved.line}`).toBeDefined();
          }
          for (const range of view.ranges.filter((r) => r.message === message)) {
            expect(range.start).toBeGreaterThanOrEqual(0);
            expect(range.end).toBeLessThanOrEqual(text.length);
            expect(range.end).toBeGreaterThan(range.start);
          }
        }
      }
    }
  });

  it("highlight the fields each step is about", async () => {
    const hs = await recorded();
    const lower = (names: string[]) => names.map((n) => n.toLowerCase());
    expect(describeStep(0, hs).lines).toEqual([]);
    expect(lower(describeStep(1, hs).headers.request)).toEqual([
      "host",
      "upgrade",
      "connection",
      "sec-websocket-key",
      "sec-websocket-version",
      "origin",
      "sec-websocket-protocol",
    ]);
    expect(describeStep(1, hs).lines[0]).toMatchObject({ message: "request", line: 0 });
    expect(lower(describeStep(2, hs).headers.request)).toEqual([
      "host",
      "upgrade",
      "connection",
      "sec-websocket-key",
      "sec-websocket-version",
      "origin",
    ]);
    expect(lower(describeStep(3, hs).headers.request)).toEqual(["sec-websocket-key"]);
    expect(lower(describeStep(4, hs).headers.response)).toEqual([
      "upgrade",
      "connection",
      "sec-websocket-accept",
      "sec-websocket-protocol",
    ]);
    expect(describeStep(5, hs).lines).toEqual([
      { message: "response", line: hs.responseLines.length - 1, label: expect.any(String) },
    ]);
  });

  it("say which request fields are required and which optional, and that cookies ride along", async () => {
    const hs = prepareHandshake(
      handshakeExample.request.replace(
        "\r\n\r\n",
        "\r\nSec-WebSocket-Extensions: permessage-deflate\r\nCookie: session=abc\r\n\r\n",
      ),
      handshakeExample.response,
      null,
      "recorded",
    );
    const view = describeStep(1, await hs);
    expect(view.paragraphs.join(" ")).toMatch(/extensions are optional offers/);
    expect(view.paragraphs.join(" ")).toMatch(
      /Cookie matters: the browser sends the server's cookies with the handshake/,
    );
    expect(view.paragraphs.join(" ")).not.toMatch(/handshake ignores/);
    for (const name of ["Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol"])
      expect(view.values.find((v) => v.label === name)?.note, name).toMatch(/^Optional: /);
  });

  it("point at the key's and the accept value's exact bytes", async () => {
    const hs = await recorded();
    const keyRange = describeStep(3, hs).ranges[0]!;
    expect(hs.request.slice(keyRange.start, keyRange.end)).toBe(handshakeExample.key);
    const acceptRange = describeStep(4, hs).ranges.find((r) => r.label === "Sec-WebSocket-Accept")!;
    expect(hs.response.slice(acceptRange.start, acceptRange.end)).toBe(handshakeExample.accept);
  });

  it("show the computed accept chain, and the 4-tuple when there is one", async () => {
    const hs = await liveLike();
    const accept = describeStep(3, hs).values.map((v) => v.value);
    expect(accept).toContain(hs.acceptComputation!.sha1Hex);
    expect(accept).toContain(hs.accept);
    expect(describeStep(0, hs).values.map((v) => v.value)).toEqual(["127.0.0.1:51234", "127.0.0.1:4321"]);
    const v6 = await prepareHandshake(
      hs.request,
      hs.response,
      { clientAddress: "::1", clientPort: 5, serverAddress: "::1", serverPort: 6 },
      "live",
    );
    expect(describeStep(0, v6).values[0]!.value).toBe("[::1]:5");
    expect(describeStep(0, await recorded()).values).toEqual([]);
  });

  it("say where frames start: right after each head", async () => {
    const hs = await recorded();
    const values = describeStep(5, hs).values.map((v) => v.value);
    expect(values).toContain(`byte ${handshakeExample.request.length}`);
    expect(values).toContain(`byte ${handshakeExample.response.length}`);
  });
});

describe("splitLines", () => {
  it("keeps bytes after the head as one rest line and accepts bare LF", () => {
    const lines = splitLines("GET / HTTP/1.1\nHost: a\n\n\x81\x05Hello");
    expect(lines.map((l) => l.kind)).toEqual(["start", "field", "end", "rest"]);
    expect(lines[1]).toMatchObject({ name: "Host", value: "a", valueOffset: 21, valueLength: 1 });
    expect(latin1Decode(new Uint8Array([0x81]))).toBe(lines[3]!.text[0]);
  });
});

describe("deep links", () => {
  it("read the step from the URL hash, 1-based", () => {
    expect(stepFromHash("#handshake-step=3")).toBe(2);
    expect(stepFromHash("#handshake-step=1")).toBe(0);
    expect(stepFromHash("handshake-step=6")).toBe(5);
  });

  it("read the step among the hash's other parameters, as on a projector slide", () => {
    expect(stepFromHash("#present=3&handshake-step=4")).toBe(3);
    expect(stepFromHash("#handshake-step=2&timeline-tcp=10")).toBe(1);
    expect(hashNamesStep("#present=3")).toBe(false);
    expect(hashNamesStep("#present=3&xhandshake-step=2")).toBe(false);
  });

  it("start at the first step for a hash that is not a step", () => {
    for (const garbage of [
      "",
      "#",
      "#intro",
      "#handshake-step=",
      "#handshake-step=abc",
      "#handshake-step=2x",
      "#handshake-step=1e3",
      "#other-step=3",
    ]) {
      expect(stepFromHash(garbage), garbage).toBe(0);
      expect(hashNamesStep(garbage), garbage).toBe(false);
    }
    expect(hashNamesStep("#handshake-step=2")).toBe(true);
  });

  it("clamp steps out of range", () => {
    expect(stepFromHash("#handshake-step=0")).toBe(0);
    expect(stepFromHash("#handshake-step=-4")).toBe(0);
    expect(stepFromHash("#handshake-step=7")).toBe(5);
    expect(stepFromHash("#handshake-step=999999")).toBe(5);
  });

  it("write the hash for a step, and read it back", () => {
    expect(hashForStep(2)).toBe("#handshake-step=3");
    for (let i = 0; i < STEP_COUNT; i++) expect(stepFromHash(hashForStep(i))).toBe(i);
  });
});
