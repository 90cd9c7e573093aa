// One simulation's world: the virtual clock, the seeded link and the trace being written.
// Everything that crosses the link goes through `send`, which records the message (lost or
// not) and schedules its arrival; everything worth annotating goes through `note`. Server
// events' lives (when they happened, when the client had them) are kept here too, so the
// trace's deliveries are filled in the same way by every scenario. An observer, if set, hears
// of each message and each delivery as it happens, so a live view can keep running totals.

import { VirtualClock } from "./clock.ts";
import { Link, backedOff, retransmissionTimeout, roundTime } from "./link.ts";
import { createRandom } from "./random.ts";
import type { Random } from "./random.ts";
import type { Delivery, LinkSettings, Peer, ScenarioKind, Trace, TraceMessage, TraceNote } from "./trace.ts";

export type Outgoing = Omit<TraceMessage, "id" | "sentAt" | "arrivesAt">;

export interface NetworkObserver {
  message(message: TraceMessage): void;
  delivered(delivery: Delivery): void;
}

export class Network {
  readonly clock = new VirtualClock();
  readonly random: Random;
  readonly link: Link;
  readonly settings: LinkSettings;
  /** The retransmission timeout every sender here uses (see retransmissionTimeout). */
  readonly rto: number;
  readonly messages: TraceMessage[] = [];
  readonly notes: TraceNote[] = [];
  /** Server events' lives in the order they happened; a live view reads this array as it grows. */
  readonly deliveries: Delivery[] = [];
  #deliveryById = new Map<number, Delivery>();
  observer: NetworkObserver | null = null;

  constructor(settings: LinkSettings) {
    this.settings = settings;
    this.random = createRandom(settings.seed);
    this.link = new Link(settings, this.random);
    this.rto = retransmissionTimeout(settings);
  }

  now(): number {
    return roundTime(this.clock.now());
  }

  /** Put a message on the link now; `onArrive` runs at its arrival (never, if it is lost). */
  send(
    message: Outgoing,
    onArrive?: (message: TraceMessage) => void,
    options: { forceLoss?: boolean } = {},
  ): TraceMessage {
    const sentAt = this.now();
    const result = this.link.transmit(message.from, message.bytes, sentAt, options);
    const recorded: TraceMessage = {
      id: this.messages.length + 1,
      sentAt,
      arrivesAt: result.arrivesAt,
      ...dropUndefined(message),
    };
    this.messages.push(recorded);
    this.observer?.message(recorded);
    if (result.arrivesAt !== null && onArrive) this.clock.at(result.arrivesAt, () => onArrive(recorded));
    return recorded;
  }

  /** The timeout for a sender's `retries`-th retransmission of the same data. */
  timeoutAfter(retries: number): number {
    return backedOff(this.rto, retries);
  }

  note(
    peer: Peer,
    kind: TraceNote["kind"],
    text: string,
    extra: Partial<Pick<TraceNote, "eventId" | "byteRange">> = {},
  ): void {
    this.notes.push({ at: this.now(), peer, kind, text, ...extra });
  }

  /** A server event happens now. */
  eventOccurred(eventId: number): void {
    if (this.#deliveryById.has(eventId)) return; // an event happens once
    const delivery: Delivery = { eventId, occurredAt: this.now(), deliveredAt: null };
    this.#deliveryById.set(eventId, delivery);
    this.deliveries.push(delivery);
    this.note("server", "app-event", `event ${eventId} happens on the server`, { eventId });
  }

  /** The client's application has these events now (only the first delivery of each counts). */
  eventsDelivered(eventIds: readonly number[]): void {
    for (const eventId of eventIds) {
      const delivery = this.#deliveryById.get(eventId);
      if (!delivery || delivery.deliveredAt !== null) continue;
      delivery.deliveredAt = this.now();
      this.observer?.delivered(delivery);
      this.note(
        "client",
        "delivered",
        `event ${eventId} reaches the client, ${roundTime(delivery.deliveredAt - delivery.occurredAt)} ms after it happened`,
        { eventId },
      );
    }
  }

  trace(scenario: ScenarioKind, title: string, horizon: number): Trace {
    const lastMoment = this.messages.reduce((t, m) => Math.max(t, m.arrivesAt ?? m.sentAt), 0);
    const deliveries = [...this.deliveries].sort((a, b) => a.eventId - b.eventId);
    return {
      scenario,
      title,
      link: { ...this.settings },
      messages: this.messages,
      notes: this.notes,
      deliveries,
      duration: roundTime(Math.max(horizon, lastMoment)),
    };
  }
}

/** Optional fields left undefined would make two equal traces differ under strict deep equality. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
