// One conversation on the wire stage: the reader's real WebSocket (from tap events) and the same
// conversation over HTTP (a live simulation fed with the real conversation's moments), as
// items on one clock, with running totals for both sides. Pure (no DOM): the element feeds it
// tap events and the live edge; tests feed it recorded events.
//
// Everything is incremental: a tap event costs the frames it completes, the simulation only
// runs forward, items are appended, and each side's items stay sorted by departure (they come
// almost in order) so the visible window is found by binary search. Nothing is recomputed from
// the start of the session; a change of settings starts a new session from the recorded events.
import { startLiveScenario, type LiveKind, type LiveScenario } from "../../scenarios/live-scenario.ts";
import type { Totals } from "../../sim/trace.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { RealProjection } from "./real-projection.ts";
import { MomentList, SimulatedItem, type StageItem, type StageSide } from "./stage-items.ts";
import { TimeAxis } from "./time-axis.ts";

export type HttpModel = LiveKind;

/** Tap events kept for a link or a saved session (a few minutes of steady sending). */
export const MAX_RECORDED_EVENTS = 6000;

export const HTTP_MODELS: readonly HttpModel[] = [
  "request-response",
  "short-polling",
  "long-polling",
  "sse",
  "polling-chat",
];

export function isHttpModel(value: unknown): value is HttpModel {
  return typeof value === "string" && (HTTP_MODELS as readonly string[]).includes(value);
}

/** Models in which the page's own messages are HTTP requests; in the others only the lab's messages count. */
export const POSTS_MESSAGES: Record<HttpModel, boolean> = {
  "request-response": true,
  "polling-chat": true,
  "short-polling": false,
  "long-polling": false,
  sse: false,
};
/** Models that can deliver what the lab sends unasked. */
export const DELIVERS_PUSHES: Record<HttpModel, boolean> = {
  "request-response": false,
  "polling-chat": true,
  "short-polling": true,
  "long-polling": true,
  sse: true,
};

export interface StageSettings {
  http: HttpModel;
  /** Round-trip time of the link both sides are drawn on. */
  rttMs: number;
  pollIntervalMs: number;
}

export interface WsTotals {
  frames: number;
  messages: number;
  bytes: number;
  headerBytes: number;
  handshakeBytes: number;
  /** Lab messages sent unasked: from leaving the lab to landing at the page. */
  delivery: Stat;
  /** The page's messages: from leaving the page to their echo landing back. */
  echo: Stat;
}

export interface Stat {
  count: number;
  mean: number | null;
  max: number | null;
  last: number | null;
}

const emptyStat = (): Stat => ({ count: 0, mean: null, max: null, last: null });

function addToStat(stat: Stat, value: number): void {
  stat.mean = ((stat.mean ?? 0) * stat.count + value) / (stat.count + 1);
  stat.count++;
  stat.max = Math.max(stat.max ?? value, value);
  stat.last = value;
}

export interface StageChange {
  reset: boolean;
  items: StageItem[];
  notes: string[];
}

export class StageSession {
  readonly settings: StageSettings;
  moments = new MomentList();
  /** Where each instant goes on screen, for both sides (folds quiet stretches). */
  axis = new TimeAxis();
  readonly items: Record<StageSide, StageItem[]> = { ws: [], http: [] };
  /** The longest any item takes to land: how far before the window an item may start and still show. */
  maxFlightMs = 0;
  /** Tap events of the current conversation, for a saved or linked recording. */
  readonly events: TapEvent[] = [];
  /** False once the conversation outgrew MAX_RECORDED_EVENTS. */
  recordingComplete = true;
  #real: RealProjection;
  #sim: LiveScenario;
  #simSeen = 0;
  #simulatedTo = -Infinity;
  #nextId = 1;
  #ws: WsTotals = this.#emptyWsTotals();
  /** Departures of the page's messages waiting for their echo, on each side. */
  #waitingEcho: number[] = [];
  #httpEchoSends: number[] = [];
  #httpEcho = emptyStat();
  #end = 0;

  constructor(settings: StageSettings) {
    this.settings = settings;
    this.#real = new RealProjection(settings.rttMs / 2, () => this.#nextId++);
    this.#sim = this.#startSim();
  }

  get oneWayMs(): number {
    return this.settings.rttMs / 2;
  }

  /** The latest instant anything happened (the end of a recorded session). */
  get end(): number {
    return this.#end;
  }

  get started(): boolean {
    return this.#real.started;
  }

  /** Stage time for a reading of the lab's clock (null before the handshake). */
  stageTimeAt(serverNow: number): number | null {
    return this.#real.stageTimeAt(serverNow);
  }

  wsTotals(): Readonly<WsTotals> {
    return this.#ws;
  }

  httpTotals(): Totals {
    return this.#sim.totals();
  }

  httpEcho(): Readonly<Stat> {
    return this.#httpEcho;
  }

  /** Takes one tap event; returns the items it produced (and whether a new conversation began). */
  pushTap(event: TapEvent): StageChange {
    const update = this.#real.push(event);
    if (update.reset) this.#restart();
    // The recording for links is bounded; past it the session still runs, it just cannot be linked.
    if (event.type !== "hello" && event.type !== "dropped") {
      if (this.events.length < MAX_RECORDED_EVENTS) this.events.push(event);
      else this.recordingComplete = false;
    }
    for (const item of update.items) this.#add(item);
    for (const message of update.pageMessages) {
      this.#waitingEcho.push(message.at);
      if (POSTS_MESSAGES[this.settings.http]) {
        this.#httpEchoSends.push(message.at);
        this.#sim.clientMessage(message.at, message.payloadBytes);
      }
    }
    for (const message of update.labMessages) {
      const landed = message.at + this.oneWayMs;
      if (message.echo && this.#waitingEcho.length > 0) addToStat(this.#ws.echo, landed - this.#waitingEcho.shift()!);
      else addToStat(this.#ws.delivery, landed - message.at);
      const isEvent = POSTS_MESSAGES[this.settings.http] ? !message.echo : true;
      if (isEvent) this.#sim.serverEvent(message.at, message.payloadBytes);
    }
    return { reset: update.reset, items: update.items, notes: update.notes };
  }

  /** How far in time the HTTP side has been run (-Infinity before the first advance). */
  get simulatedTo(): number {
    return this.#simulatedTo;
  }

  /**
   * Runs the HTTP side up to `liveTime`, or only `maxSpanMs` past where it stopped when that is
   * sooner (a caller catching up on a long stretch does it in parts); returns the HTTP items that
   * happened by then.
   */
  advance(liveTime: number, maxSpanMs = Infinity): StageItem[] {
    const to = Number.isFinite(this.#simulatedTo) ? Math.min(liveTime, this.#simulatedTo + maxSpanMs) : liveTime;
    this.#simulatedTo = Math.max(this.#simulatedTo, to);
    this.#sim.advanceTo(to);
    this.axis.extendTo(to);
    const fresh: StageItem[] = [];
    const messages = this.#sim.messages;
    for (; this.#simSeen < messages.length; this.#simSeen++) {
      const message = messages[this.#simSeen]!;
      const item = new SimulatedItem(this.#nextId++, message);
      if (
        message.from === "server" &&
        message.layer === "http" &&
        message.label.startsWith("200 OK (echo") &&
        this.#httpEchoSends.length > 0 &&
        message.arrivesAt !== null
      ) {
        addToStat(this.#httpEcho, message.arrivesAt - this.#httpEchoSends.shift()!);
      }
      this.#add(item);
      fresh.push(item);
    }
    return fresh;
  }

  /** Index range [lo, hi) of a side's items that may show in the window [from, to]. */
  windowRange(side: StageSide, from: number, to: number): [number, number] {
    const list = this.items[side];
    return [firstDepartingAtOrAfter(list, from - this.maxFlightMs), firstDepartingAtOrAfter(list, to + 1e-9)];
  }

  stop(): void {
    this.#sim.stop();
  }

  #add(item: StageItem): void {
    const list = this.items[item.side];
    let i = list.length;
    while (i > 0 && list[i - 1]!.departAt > item.departAt) i--;
    list.splice(i, 0, item);
    this.moments.add(item.departAt);
    this.axis.markBusy(item.departAt, item.arriveAt ?? item.departAt);
    const landing = item.arriveAt ?? item.departAt;
    if (item.arriveAt !== null) this.moments.add(item.arriveAt);
    this.maxFlightMs = Math.max(this.maxFlightMs, landing - item.departAt);
    this.#end = Math.max(this.#end, landing);
    if (item.side === "ws") {
      this.#ws.frames += item.kind === "handshake" ? 0 : 1;
      this.#ws.bytes += item.bytes;
      this.#ws.headerBytes += item.headerBytes;
      if (item.kind === "handshake") this.#ws.handshakeBytes += item.bytes;
      if (item.kind === "data") this.#ws.messages++;
    }
  }

  #restart(): void {
    this.#sim.stop();
    this.#sim = this.#startSim();
    this.#simSeen = 0;
    this.items.ws = [];
    this.items.http = [];
    this.events.length = 0;
    this.recordingComplete = true;
    this.maxFlightMs = 0;
    this.#ws = this.#emptyWsTotals();
    this.#waitingEcho = [];
    this.#httpEchoSends = [];
    this.#httpEcho = emptyStat();
    this.#end = 0;
    this.moments = new MomentList();
    this.axis = new TimeAxis();
  }

  #startSim(): LiveScenario {
    return startLiveScenario({
      kind: this.settings.http,
      link: { oneWayMs: this.oneWayMs, jitterMs: 0, lossRate: 0, bandwidthBytesPerSecond: null, seed: 1 },
      pollIntervalMs: this.settings.pollIntervalMs,
    });
  }

  #emptyWsTotals(): WsTotals {
    return {
      frames: 0,
      messages: 0,
      bytes: 0,
      headerBytes: 0,
      handshakeBytes: 0,
      delivery: emptyStat(),
      echo: emptyStat(),
    };
  }
}

function firstDepartingAtOrAfter(list: readonly StageItem[], time: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.departAt < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A session rebuilt from recorded tap events (a deep link, or new settings). */
export function replaySession(settings: StageSettings, events: readonly TapEvent[]): StageSession {
  const session = new StageSession(settings);
  for (const event of events) session.pushTap(event);
  session.advance(session.end + settings.pollIntervalMs + 4 * session.oneWayMs);
  return session;
}
