// The scenario runner: the one entry point the timeline widget calls (the wire stage runs
// the same machines incrementally, through live-scenario.ts).
// `runScenario` builds a world (virtual clock, seeded link, trace), starts the scenario's
// machine from src/machines on that clock, schedules the world's events (server events,
// client messages, the reader leaving), runs the clock until nothing is left to do, and
// returns the trace. It is synchronous and deterministic: the same request always gives a
// deep-equal trace, and a default scenario runs in well under a millisecond per message.
// `runScenarioInSlices` is the same run spread over several tasks, for a page's first run.
//
// Run limits: a scenario stops when its clock is idle, or at its horizon plus CLOSE_GRACE_MS
// (so a lossy link can still finish its close), or after MAX_STEPS timers; a link that loses
// everything therefore ends with an incomplete trace rather than running forever.

import { createActor, type AnyStateMachine } from "xstate";
import { http10ExchangeMachine } from "../machines/http10-exchange.ts";
import { http11ExchangeMachine } from "../machines/http11-exchange.ts";
import { longPollingMachine } from "../machines/long-polling.ts";
import { serverSentEventsMachine } from "../machines/server-sent-events.ts";
import { shortPollingMachine } from "../machines/short-polling.ts";
import { tcpConnectionMachine } from "../machines/tcp-connection.ts";
import { websocketSessionMachine } from "../machines/websocket-session.ts";
import { Connections } from "../sim/connection.ts";
import { Network } from "../sim/network.ts";
import { SegmentWire } from "../sim/segments.ts";
import type { LinkSettings, ScenarioKind, ScenarioRequest, Trace } from "../sim/trace.ts";
import type { WorldEvent } from "../sim/world-events.ts";

export const defaultLink: LinkSettings = {
  oneWayMs: 50,
  jitterMs: 0,
  lossRate: 0,
  bandwidthBytesPerSecond: null,
  seed: 1,
};

/** Irregular on purpose: bursts and a long quiet gap show each transport's worst and best case. */
const SAMPLE_SERVER_EVENTS = [600, 1700, 2100, 5400, 6200];

export const defaultScenario: Record<ScenarioKind, Omit<ScenarioRequest, "kind" | "link">> = {
  tcp: { dataSegments: 4, dropSegment: 1 },
  http10: { requests: 3 },
  http11: { requests: 3 },
  "short-polling": { serverEvents: SAMPLE_SERVER_EVENTS, pollIntervalMs: 1000, durationMs: 7000 },
  // A 3 s hold shows one empty answer in the quiet gap; real servers hold for 20–30 s.
  "long-polling": { serverEvents: SAMPLE_SERVER_EVENTS, longPollTimeoutMs: 3000, durationMs: 7000 },
  sse: { serverEvents: SAMPLE_SERVER_EVENTS, durationMs: 7000 },
  websocket: {
    serverEvents: SAMPLE_SERVER_EVENTS,
    clientMessages: [1200, 3000, 4600],
    pingIntervalMs: 3000,
    durationMs: 7000,
  },
};

export const titles: Record<ScenarioKind, string> = {
  tcp: "TCP: handshake, data with a lost segment, retransmission, close",
  http10: "HTTP/1.0: a new TCP connection for every request",
  http11: "HTTP/1.1: one persistent connection for every request",
  "short-polling": "Short polling: ask on a schedule",
  "long-polling": "Long polling: the server holds each request until it has news",
  sse: "Server-sent events: one response that never ends",
  websocket: "WebSocket: upgrade once, then frames both ways",
};

/** Time allowed after the horizon for closes and retransmissions to finish. */
export const CLOSE_GRACE_MS = 120_000;
const MAX_STEPS = 200_000;
const MAX_ITEMS = 1000;

/** A scenario's world, set up and started, whose clock is still to be run. */
interface StartedRun {
  clock: Network["clock"];
  until: number;
  finish(): Trace;
}

function startScenario(request: ScenarioRequest): StartedRun {
  const link = sanitizeLink(request.link);
  const net = new Network(link);
  const s = settings(request, link);
  let horizon = 0;
  let dispatch: (event: object) => void;

  let actor;
  if (request.kind === "tcp") {
    const wire = new SegmentWire(net);
    actor = createActor(tcpConnectionMachine, {
      clock: net.clock,
      input: { wire, dataSegments: s.dataSegments, dropSegment: s.dropSegment, rtoMs: net.rto },
    });
    wire.attach((e) => actor!.send(e));
  } else {
    const connections = new Connections(net);
    const machine = pickMachine(request.kind);
    const input = {
      connections,
      requests: s.requests,
      pollIntervalMs: s.pollIntervalMs,
      holdTimeoutMs: s.longPollTimeoutMs,
      pingIntervalMs: s.pingIntervalMs,
    };
    const created = createActor(machine, { clock: net.clock, input });
    dispatch = (e) => created.send(e as never);
    connections.attach((e) => dispatch(e));
    actor = created;
    if (isPush(request.kind)) {
      horizon = s.durationMs;
      const world = (at: number, event: WorldEvent, before?: () => void) =>
        net.clock.at(at, () => {
          before?.();
          dispatch(event);
        });
      s.serverEvents.forEach((at, i) =>
        world(at, { type: "server.event", eventId: i + 1 }, () => net.eventOccurred(i + 1)),
      );
      if (request.kind === "websocket") {
        s.clientMessages.forEach((at, i) =>
          world(at, { type: "client.message", index: i + 1 }, () =>
            net.note("client", "app-event", `the page sends message ${i + 1}`),
          ),
        );
      }
      world(s.durationMs, { type: "session.ended" }, () =>
        net.note("client", "state", "the reader leaves: the client closes"),
      );
    }
  }
  actor.start();
  const started = actor;
  return {
    clock: net.clock,
    until: horizon + CLOSE_GRACE_MS,
    finish: () => {
      started.stop();
      return net.trace(request.kind, titles[request.kind], horizon);
    },
  };
}

export function runScenario(request: ScenarioRequest): Trace {
  const run = startScenario(request);
  run.clock.run(run.until, MAX_STEPS);
  return run.finish();
}

/**
 * The same run as `runScenario` (the same trace), its clock advanced in slices of about
 * `sliceMs` of work with `pause()` (a new task, by default) between them. On a page's first
 * run the simulation's code is compiled as it first runs, and run whole it made one task of
 * 40 to 70 ms on the bench's machine; sliced, the page can draw and answer input in between.
 */
export async function runScenarioInSlices(
  request: ScenarioRequest,
  sliceMs = 8,
  pause: () => Promise<void> = nextTask,
): Promise<Trace> {
  await pause();
  // Starting the machine is a slice of its own: on a first run it compiles most of XState.
  const run = startScenario(request);
  await pause();
  let steps = 0;
  for (;;) {
    const sliceStart = performance.now();
    let last;
    do {
      last = run.clock.run(run.until, 1);
      steps += last.steps;
    } while (last.steps > 0 && steps < MAX_STEPS && performance.now() - sliceStart < sliceMs);
    if (last.steps === 0 || steps >= MAX_STEPS) return run.finish();
    await pause();
  }
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function pickMachine(kind: Exclude<ScenarioKind, "tcp">): AnyStateMachine {
  switch (kind) {
    case "http10":
      return http10ExchangeMachine;
    case "http11":
      return http11ExchangeMachine;
    case "short-polling":
      return shortPollingMachine;
    case "long-polling":
      return longPollingMachine;
    case "sse":
      return serverSentEventsMachine;
    case "websocket":
      return websocketSessionMachine;
  }
}

const isPush = (kind: ScenarioKind): boolean =>
  kind === "short-polling" || kind === "long-polling" || kind === "sse" || kind === "websocket";

/** A request's settings with defaults filled in and out-of-range values brought into range. */
function settings(request: ScenarioRequest, link: LinkSettings) {
  const d = defaultScenario[request.kind];
  const pick = <K extends keyof typeof d>(key: K) => (request[key] !== undefined ? request[key] : d[key]);
  const times = (list: number[] | undefined) =>
    (list ?? [])
      .filter((t) => Number.isFinite(t) && t >= 0)
      .sort((a, b) => a - b)
      .slice(0, MAX_ITEMS);
  const serverEvents = times(pick("serverEvents"));
  const clientMessages = times(pick("clientMessages"));
  const pollIntervalMs = Math.max(10, finite(pick("pollIntervalMs"), 1000));
  const dataSegments = clampInt(pick("dataSegments"), 1, 100, 4);
  const drop = pick("dropSegment");
  // Events taken from a real session come without a duration: run until the last one could be delivered.
  const lastTime = Math.max(0, ...serverEvents, ...clientMessages);
  const derived = lastTime + pollIntervalMs + 6 * (link.oneWayMs + link.jitterMs) + 1000;
  const explicitTimes = request.serverEvents !== undefined || request.clientMessages !== undefined;
  const durationMs =
    request.durationMs !== undefined
      ? finite(request.durationMs, derived)
      : explicitTimes
        ? derived
        : finite(d.durationMs, derived);
  return {
    requests: clampInt(pick("requests"), 1, 100, 3),
    serverEvents,
    clientMessages,
    pollIntervalMs,
    dataSegments,
    dropSegment:
      drop === null || drop === undefined || !Number.isInteger(drop) || drop < 0 || drop >= dataSegments ? null : drop,
    durationMs: Math.max(0, durationMs),
    longPollTimeoutMs: Math.max(10, finite(pick("longPollTimeoutMs"), 30_000)),
    pingIntervalMs: Math.max(10, finite(pick("pingIntervalMs"), 30_000)),
  };
}

/** Out-of-range or missing link settings become sensible ones (shared with live-scenario.ts). */
export function sanitizeLink(link: LinkSettings): LinkSettings {
  const bandwidth = link.bandwidthBytesPerSecond;
  return {
    oneWayMs: Math.max(0, finite(link.oneWayMs, defaultLink.oneWayMs)),
    jitterMs: Math.max(0, finite(link.jitterMs, 0)),
    lossRate: Math.min(1, Math.max(0, finite(link.lossRate, 0))),
    bandwidthBytesPerSecond: bandwidth !== null && Number.isFinite(bandwidth) && bandwidth > 0 ? bandwidth : null,
    seed: finite(link.seed, 1),
  };
}

function finite(x: number | undefined, fallback: number): number {
  return x !== undefined && Number.isFinite(x) ? x : fallback;
}

function clampInt(x: number | undefined, min: number, max: number, fallback: number): number {
  return Math.min(max, Math.max(min, Math.round(finite(x, fallback))));
}
