// A scenario that runs while the reader watches. The wire stage feeds it the reader's real
// events one at a time, for minutes: a server event, a message the page sends, the time now.
// Re-running runScenario from scratch on each would cost more and more per event, so this
// keeps one world (clock, link, connections, the scenario's machine) alive and moves it
// forward. No call costs more because the session is longer (advanceTo costs the work in the
// stretch of virtual time it runs): messages, notes and deliveries are the world's own
// growing arrays, read without copying, and the totals are counted as messages are recorded.
//
// Given the same events at the same virtual times, the world does what runScenario's does,
// up to the moment the reader leaves. One difference: a world event and a timer due at the
// same virtual millisecond run in the order they were scheduled, and here a live event is
// scheduled when it is reported, after timers the world already set for that moment.

import { createActor, type AnyStateMachine } from "xstate";
import { httpRequestResponseMachine } from "../machines/http-request-response.ts";
import { longPollingMachine } from "../machines/long-polling.ts";
import { pollingChatMachine } from "../machines/polling-chat.ts";
import { serverSentEventsMachine } from "../machines/server-sent-events.ts";
import { shortPollingMachine } from "../machines/short-polling.ts";
import { Connections, type Unit } from "../sim/connection.ts";
import { Network, type NetworkObserver } from "../sim/network.ts";
import { CLOSE_GRACE_MS, sanitizeLink } from "./run-scenario.ts";
import type { Delivery, LinkSettings, Peer, TraceMessage, TraceNote, Totals } from "../sim/trace.ts";
import { MAX_SIMULATED_DATA_BYTES, withEventSizes, type EventSizes } from "../sim/wire-messages.ts";
import type { WorldEvent } from "../sim/world-events.ts";

export type LiveKind = "request-response" | "short-polling" | "long-polling" | "sse" | "polling-chat";

export interface LiveScenarioOptions {
  kind: LiveKind;
  link: LinkSettings;
  /** short-polling, polling-chat: time between a poll's answer and the next poll (default 1000). */
  pollIntervalMs?: number;
  /** long-polling: how long the server holds a poll with nothing to say (default 20000, like the lab's LAB_LONG_POLL_TIMEOUT_MS). */
  longPollTimeoutMs?: number;
  /**
   * request-response, polling-chat's POSTs: the server closes an HTTP/1.1 connection idle this
   * long, so the next request opens a new TCP connection (default 5000, Node's http.Server keepAliveTimeout).
   */
  keepAliveTimeoutMs?: number;
}

export interface LiveScenario {
  readonly kind: LiveKind;
  readonly link: LinkSettings;
  /** Append-only: entries are never removed or changed once pushed (a lost message has arrivesAt null from the start). */
  readonly messages: readonly TraceMessage[];
  readonly notes: readonly TraceNote[];
  /** Server events' lives, in the order they happened; deliveredAt fills in when the client gets them. */
  deliveries(): readonly Delivery[];
  /**
   * The server has something new for the client at virtual time t (ms). Returns the event id
   * (1, 2, …), or 0 once stopped. `payloadBytes` sizes the event's data in every transport
   * (default: eventPayload's JSON). request-response cannot push, so its events are never delivered.
   */
  serverEvent(t: number, payloadBytes?: number): number;
  /**
   * The page sends a message of payloadBytes at t. request-response: a POST answered 200 with
   * the same body (an echo); polling-chat: a POST answered 204, on its own keep-alive
   * connection. Other kinds, a size that is not a number, or a stopped scenario: ignored, false.
   */
  clientMessage(t: number, payloadBytes: number): boolean;
  /** Runs the world up to virtual time t; never goes backwards; times before now (or not numbers) are treated as now. */
  advanceTo(t: number): void;
  /** Running totals, same meaning as totals() in trace.ts, counted as messages are recorded. */
  totals(): Totals;
  /** The reader leaves now: the client closes its connections, the closes are run to the end, and the world stops. */
  stop(): void;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;
const DEFAULT_LONG_POLL_TIMEOUT_MS = 20_000;
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5000;
/** Timers one call may run, so a jump of hours on a 10 ms poll cannot freeze the page; the rest run on later calls. */
const MAX_STEPS_PER_CALL = 200_000;

export function startLiveScenario(options: LiveScenarioOptions): LiveScenario {
  const { kind } = options;
  const link = sanitizeLink(options.link);
  const net = new Network(link);
  const running = new RunningTotals();
  net.observer = running;

  // Sizes by id: event ids are handed out as events are reported, message indices as messages are sent.
  const eventBytes: (number | undefined)[] = [];
  const messageBytes: number[] = [];
  const connections = new SizedEventConnections(net, (id) => eventBytes[id - 1]);
  const input = {
    connections,
    pollIntervalMs: atLeast10(options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS),
    holdTimeoutMs: atLeast10(options.longPollTimeoutMs, DEFAULT_LONG_POLL_TIMEOUT_MS),
    keepAliveTimeoutMs: atLeast10(options.keepAliveTimeoutMs, DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
    messageBytes: (index: number) => messageBytes[index - 1] ?? 0,
  };
  const actor = createActor(pickMachine(kind), { clock: net.clock, input });
  connections.attach((e) => actor.send(e));
  actor.start();

  /** The latest time the world was asked to reach; the clock itself stops at its last timer. */
  let reached = 0;
  let events = 0;
  let stopped = false;
  const timeOf = (t: number) => (Number.isFinite(t) ? Math.max(reached, t) : reached);
  /** At virtual time `at`, note what happens and hand the machine the event that says so. */
  const world = (at: number, happen: () => WorldEvent) => net.clock.at(at, () => actor.send(happen()));

  return {
    kind,
    link,
    messages: net.messages,
    notes: net.notes,
    deliveries: () => net.deliveries,
    serverEvent(t, payloadBytes) {
      if (stopped) return 0;
      const id = ++events;
      eventBytes[id - 1] = payloadBytes !== undefined && Number.isFinite(payloadBytes) ? payloadBytes : undefined;
      world(timeOf(t), () => {
        net.eventOccurred(id);
        return { type: "server.event", eventId: id };
      });
      return id;
    },
    clientMessage(t, payloadBytes) {
      if (stopped || (kind !== "request-response" && kind !== "polling-chat") || !Number.isFinite(payloadBytes))
        return false;
      const bytes = Math.min(MAX_SIMULATED_DATA_BYTES, Math.max(0, Math.floor(payloadBytes)));
      // Numbered when sent, not when reported, so indices follow virtual time as runScenario's do.
      world(timeOf(t), () => {
        const index = messageBytes.push(bytes);
        net.note("client", "app-event", `the page sends message ${index} (${bytes} B)`);
        return { type: "client.message", index };
      });
      return true;
    },
    advanceTo(t) {
      if (stopped) return;
      reached = timeOf(t);
      net.clock.run(reached, MAX_STEPS_PER_CALL);
    },
    totals: () => running.read(),
    stop() {
      if (stopped) return;
      stopped = true;
      net.clock.at(reached, () => {
        net.note("client", "state", "the reader leaves: the client closes");
        actor.send({ type: "session.ended" });
      });
      net.clock.run(reached + CLOSE_GRACE_MS, MAX_STEPS_PER_CALL);
      actor.stop();
    },
  };
}

function pickMachine(kind: LiveKind): AnyStateMachine {
  switch (kind) {
    case "request-response":
      return httpRequestResponseMachine;
    case "short-polling":
      return shortPollingMachine;
    case "long-polling":
      return longPollingMachine;
    case "sse":
      return serverSentEventsMachine;
    case "polling-chat":
      return pollingChatMachine;
  }
}

/**
 * The scenario machines build event-carrying messages with the default payload; this gives
 * each event the size the page reported for it, whichever machine built the message.
 */
class SizedEventConnections extends Connections {
  readonly #sizeOf: EventSizes;

  constructor(net: Network, sizeOf: EventSizes) {
    super(net);
    this.#sizeOf = sizeOf;
  }

  override send(connectionId: number, from: Peer, unit: Unit): void {
    super.send(connectionId, from, withEventSizes(unit, this.#sizeOf));
  }
}

/** totals() of trace.ts, kept up to date message by message instead of recomputed from the whole trace. */
class RunningTotals implements NetworkObserver {
  #counts = { messages: 0, requests: 0, roundTrips: 0, bytes: 0, headerBytes: 0, lost: 0, retransmissions: 0 };
  #connections = new Set<number>();
  #delivered = 0;
  #delaySum = 0;
  #maxDelay = 0;

  message(m: TraceMessage): void {
    const c = this.#counts;
    c.messages++;
    if (m.layer === "http" && m.from === "client" && !m.retransmission) c.requests++;
    if (m.opensRoundTrip && !m.retransmission) c.roundTrips++;
    c.bytes += m.bytes;
    c.headerBytes += m.headerBytes;
    if (m.arrivesAt === null) c.lost++;
    if (m.retransmission) c.retransmissions++;
    this.#connections.add(m.connection);
  }

  delivered(d: Delivery): void {
    if (d.deliveredAt === null) return;
    const delay = d.deliveredAt - d.occurredAt;
    // Summed in delivery order, where totals() sums in event order: the same when events are
    // reported in time order; otherwise the mean can differ in its last bits.
    this.#delaySum += delay;
    this.#maxDelay = this.#delivered === 0 ? delay : Math.max(this.#maxDelay, delay);
    this.#delivered++;
  }

  read(): Totals {
    const n = this.#delivered;
    return {
      ...this.#counts,
      tcpConnections: this.#connections.size,
      delivered: n,
      meanDeliveryMs: n ? this.#delaySum / n : null,
      maxDeliveryMs: n ? this.#maxDelay : null,
    };
  }
}

const finite = (x: number | undefined, fallback: number): number =>
  x !== undefined && Number.isFinite(x) ? x : fallback;
const atLeast10 = (x: number | undefined, fallback: number): number => Math.max(10, finite(x, fallback));
