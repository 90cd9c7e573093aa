// One TCP connection, segment by segment: the client opens it, sends `dataSegments` segments
// and closes; the server receives, acknowledges and closes its side too. Both peers are
// regions of one parallel machine, so the whole conversation is one snapshot.
//
//   client  synSent → established → finWait1 → finWait2 → timeWait
//   server  listen → synReceived → established → lastAck → closed
//
// What it shows (RFC 9293): the three-way handshake (§3.5); cumulative acknowledgments, where
// an ACK names the next byte expected (§3.4); a receiver that buffers segments beyond a gap and
// hands bytes to its application only in order, never across a gap (§3.10.7.4); retransmission
// of the oldest unacknowledged segment when the retransmission timer expires (§3.8.1,
// RFC 6298 §5) with the timeout doubling on each retry; and the FIN close, FIN and ACK each way
// (§3.6). Not modelled: fast retransmit after three duplicate ACKs (RFC 5681 §3.2, which a real
// sender would use once four or more segments follow a loss), flow and congestion windows (the
// whole message fits in the first window), and the TIME-WAIT timer (2 × MSL, minutes long).
//
// Sequence numbers here are relative (SYN = 0, first data byte = 1); src/sim/segments.ts adds
// the seeded initial sequence numbers when it records the trace. The retransmission timeout is
// the link's (src/sim/link.ts, retransmissionTimeout), passed in as `rtoMs`.
import { assign, setup } from "xstate";
import { backedOff } from "../sim/link.ts";
import type { Segment, SegmentEvent, SegmentWire } from "../sim/segments.ts";

/** The default MSS when none is negotiated (RFC 9293 §3.7.1): each data segment carries this many bytes. */
export const SEGMENT_BYTES = 536;

export interface TcpInput {
  wire: SegmentWire;
  dataSegments: number;
  /** 0-based index of a data segment whose first transmission is lost, or null. */
  dropSegment: number | null;
  rtoMs: number;
}

export interface TcpContext extends TcpInput {
  /** Client: oldest unacknowledged sequence number. */
  sndUna: number;
  /** Client: consecutive timeouts of the current oldest segment, for backoff. */
  clientRetries: number;
  /** Server: next sequence number expected from the client. */
  rcvNxt: number;
  /** Server: segments that arrived beyond a gap, waiting for it to fill. */
  outOfOrder: Segment[];
  serverRetries: number;
}

/** What the receiver does with one arriving segment: pure, so guards and actions agree. */
export interface Reception {
  rcvNxt: number;
  outOfOrder: Segment[];
  /** Byte ranges handed to the application (1-based, inclusive), in order. */
  delivered: { first: number; last: number }[];
  finReached: boolean;
  verdict: "in-order" | "out-of-order" | "duplicate" | "control";
}

const seqLength = (s: Segment): number => s.len + (s.flags.includes("FIN") ? 1 : 0);
const has = (s: Segment, flag: string): boolean => s.flags.includes(flag);

export function receiveSegment(state: Pick<TcpContext, "rcvNxt" | "outOfOrder">, segment: Segment): Reception {
  if (seqLength(segment) === 0) return { ...state, delivered: [], finReached: false, verdict: "control" };
  if (segment.seq + seqLength(segment) <= state.rcvNxt)
    return { ...state, delivered: [], finReached: false, verdict: "duplicate" };
  if (segment.seq > state.rcvNxt) {
    const known = state.outOfOrder.some((s) => s.seq === segment.seq);
    const outOfOrder = known ? state.outOfOrder : [...state.outOfOrder, segment].sort((a, b) => a.seq - b.seq);
    return { rcvNxt: state.rcvNxt, outOfOrder, delivered: [], finReached: false, verdict: "out-of-order" };
  }
  // In order: take it, then everything buffered that now follows without a gap.
  let rcvNxt = state.rcvNxt;
  let finReached = false;
  const delivered: { first: number; last: number }[] = [];
  const take = (s: Segment) => {
    const end = s.seq + s.len; // one past the last data byte
    if (end > rcvNxt) {
      const last = delivered[delivered.length - 1];
      if (last && last.last + 1 === rcvNxt) last.last = end - 1;
      else delivered.push({ first: rcvNxt, last: end - 1 });
      rcvNxt = end;
    }
    if (has(s, "FIN")) {
      finReached = true;
      rcvNxt += 1;
    }
  };
  take(segment);
  let rest = state.outOfOrder;
  for (let next = rest[0]; next && next.seq <= rcvNxt && !finReached; next = rest[0]) {
    rest = rest.slice(1);
    if (next.seq + seqLength(next) > rcvNxt) take(next);
  }
  return { rcvNxt, outOfOrder: rest, delivered, finReached, verdict: "in-order" };
}

/** The server's side of a segment's arrival: notes for the reader, then the cumulative ACK. */
function acknowledgeSegment(context: TcpContext, segment: Segment): void {
  const r = receiveSegment(context, segment);
  const { wire } = context;
  if (r.verdict === "out-of-order") {
    wire.note(
      "server",
      "note",
      `bytes from ${segment.seq} arrived before byte ${context.rcvNxt}: buffered, not handed over across the gap`,
    );
  } else if (r.verdict === "duplicate") {
    wire.note(
      "server",
      "note",
      segment.len > 0
        ? `bytes ${segment.seq}–${segment.seq + segment.len - 1} arrived again: already had them`
        : "FIN arrived again: our ACK was lost",
    );
  }
  for (const d of r.delivered)
    wire.note("server", "delivered", `bytes ${d.first}–${d.last} handed to the application`, { byteRange: { ...d } });
  if (r.finReached) wire.note("server", "state", "CLOSE-WAIT: FIN received, end of stream handed to the application");
  // Once the client's FIN is in, the server's own FIN (seq 1) has been or is about to be sent, so later ACKs come after it.
  const seq = context.rcvNxt > dataEnd(context) ? 2 : 1;
  wire.send("server", { flags: ["ACK"], seq, ack: r.rcvNxt, len: 0 }, { label: `ACK ${r.rcvNxt}` });
}

const dataEnd = (c: TcpContext): number => 1 + c.dataSegments * SEGMENT_BYTES;
const range = (i: number) => ({ first: 1 + i * SEGMENT_BYTES, last: (i + 1) * SEGMENT_BYTES });

export const tcpConnectionMachine = setup({
  types: {
    context: {} as TcpContext,
    events: {} as SegmentEvent,
    input: {} as TcpInput,
  },
  delays: {
    /** The client's retransmission timer: the link's RTO, doubled per consecutive timeout (RFC 6298 §5.5). */
    clientTimeout: ({ context }) => backedOff(context.rtoMs, context.clientRetries),
    serverTimeout: ({ context }) => backedOff(context.rtoMs, context.serverRetries),
  },
  guards: {
    isSyn: ({ event }) => has(event.segment, "SYN") && !has(event.segment, "ACK"),
    isSynAck: ({ event }) => has(event.segment, "SYN") && has(event.segment, "ACK"),
    /** The handshake's ACK, or any later segment: each carries ACK of our SYN. */
    completesHandshake: ({ event }) =>
      has(event.segment, "ACK") && !has(event.segment, "SYN") && event.segment.ack >= 1,
    advancesAck: ({ context, event }) => has(event.segment, "ACK") && event.segment.ack > context.sndUna,
    acksAllData: ({ context, event }) => has(event.segment, "ACK") && event.segment.ack >= dataEnd(context),
    acksClientFin: ({ context, event }) => has(event.segment, "ACK") && event.segment.ack >= dataEnd(context) + 1,
    completesHandshakeWithData: ({ event }) =>
      has(event.segment, "ACK") && !has(event.segment, "SYN") && seqLength(event.segment) > 0,
    isFin: ({ event }) => has(event.segment, "FIN"),
    carriesSequence: ({ event }) => seqLength(event.segment) > 0,
    reachesFin: ({ context, event }) => receiveSegment(context, event.segment).finReached,
    acksServerFin: ({ event }) => has(event.segment, "ACK") && event.segment.ack >= 2,
  },
  actions: {
    sendSyn: ({ context }) =>
      context.wire.send(
        "client",
        { flags: ["SYN"], seq: 0, ack: 0, len: 0 },
        { label: "SYN", opensRoundTrip: true, retransmission: context.clientRetries > 0 },
      ),
    noteClientTimeout: ({ context }) =>
      context.wire.note(
        "client",
        "timeout",
        `no ACK within ${backedOff(context.rtoMs, context.clientRetries)} ms: the retransmission timer expired`,
      ),
    countClientTimeout: assign(({ context }) => ({ clientRetries: context.clientRetries + 1 })),
    noteServerTimeout: ({ context }) =>
      context.wire.note(
        "server",
        "timeout",
        `no ACK of its FIN within ${backedOff(context.rtoMs, context.serverRetries)} ms: the retransmission timer expired`,
      ),
    countServerTimeout: assign(({ context }) => ({ serverRetries: context.serverRetries + 1 })),
    ackHandshake: ({ context }) => {
      context.wire.send("client", { flags: ["ACK"], seq: 1, ack: 1, len: 0 }, { label: "ACK" });
      context.wire.note("client", "state", "ESTABLISHED");
    },
    establishClient: assign({ sndUna: 1, clientRetries: 0 }),
    sendAllData: ({ context }) => {
      for (let i = 0; i < context.dataSegments; i++) {
        const { first, last } = range(i);
        context.wire.send(
          "client",
          { flags: ["PSH", "ACK"], seq: first, ack: 1, len: SEGMENT_BYTES },
          { label: `bytes ${first}–${last}`, forceLoss: i === context.dropSegment },
        );
      }
    },
    /** RFC 6298 §5.4: on expiry, retransmit the earliest segment not yet acknowledged. */
    retransmitOldest: ({ context }) => {
      const i = Math.floor((context.sndUna - 1) / SEGMENT_BYTES);
      const { first, last } = range(i);
      context.wire.send(
        "client",
        { flags: ["PSH", "ACK"], seq: first, ack: 1, len: SEGMENT_BYTES },
        { label: `bytes ${first}–${last}`, retransmission: true },
      );
    },
    recordAck: assign(({ event }) => ({ sndUna: event.segment.ack, clientRetries: 0 })),
    sendClientFin: ({ context }) => {
      if (context.clientRetries === 0)
        context.wire.note("client", "state", "FIN-WAIT-1: all data acknowledged, closing");
      context.wire.send(
        "client",
        { flags: ["FIN", "ACK"], seq: dataEnd(context), ack: 1, len: 0 },
        { label: "FIN, ACK", retransmission: context.clientRetries > 0 },
      );
    },
    ackServerFin: ({ context }) =>
      context.wire.send("client", { flags: ["ACK"], seq: dataEnd(context) + 1, ack: 2, len: 0 }, { label: "ACK" }),
    noteTimeWait: ({ context }) => context.wire.note("client", "state", "TIME-WAIT: both directions closed"),
    sendSynAck: ({ context }, params: { again: boolean }) =>
      context.wire.send(
        "server",
        { flags: ["SYN", "ACK"], seq: 0, ack: 1, len: 0 },
        { label: "SYN, ACK", retransmission: params.again },
      ),
    /** Report and acknowledge a segment; the ACK always names the next byte wanted, so after a gap it repeats (a duplicate ACK). */
    acknowledge: ({ context, event }) => acknowledgeSegment(context, event.segment),
    storeReception: assign(({ context, event }) => {
      const r = receiveSegment(context, event.segment);
      return { rcvNxt: r.rcvNxt, outOfOrder: r.outOfOrder };
    }),
    sendServerFin: ({ context }) =>
      context.wire.send(
        "server",
        { flags: ["FIN", "ACK"], seq: 1, ack: context.rcvNxt, len: 0 },
        { label: "FIN, ACK", retransmission: context.serverRetries > 0 },
      ),
    serverClosed: ({ context }) => context.wire.note("server", "state", "CLOSED"),
  },
}).createMachine({
  id: "tcp",
  type: "parallel",
  context: ({ input }) => ({ ...input, sndUna: 0, clientRetries: 0, rcvNxt: 1, outOfOrder: [], serverRetries: 0 }),
  states: {
    client: {
      initial: "synSent",
      on: {
        // Our handshake ACK was lost and the server sent SYN-ACK again: acknowledge it again.
        "client.segment": { guard: "isSynAck", actions: "ackHandshake" },
      },
      states: {
        synSent: {
          entry: "sendSyn",
          after: {
            clientTimeout: { target: "synSent", reenter: true, actions: ["noteClientTimeout", "countClientTimeout"] },
          },
          on: {
            "client.segment": {
              guard: "isSynAck",
              target: "established",
              actions: ["establishClient", "ackHandshake"],
            },
          },
        },
        established: {
          entry: "sendAllData",
          initial: "awaitingAck",
          states: {
            awaitingAck: {
              after: {
                clientTimeout: {
                  target: "awaitingAck",
                  reenter: true,
                  actions: ["noteClientTimeout", "countClientTimeout", "retransmitOldest"],
                },
              },
              on: {
                "client.segment": [
                  { guard: "acksAllData", target: "#tcp.client.finWait1", actions: "recordAck" },
                  // New data acknowledged: restart the timer for what is still outstanding (RFC 6298 §5.3).
                  { guard: "advancesAck", target: "awaitingAck", reenter: true, actions: "recordAck" },
                ],
              },
            },
          },
        },
        finWait1: {
          entry: "sendClientFin",
          after: {
            clientTimeout: { target: "finWait1", reenter: true, actions: ["noteClientTimeout", "countClientTimeout"] },
          },
          on: {
            "client.segment": [
              // The server's FIN also acknowledges ours, even if its separate ACK was lost.
              { guard: "isFin", target: "timeWait", actions: "ackServerFin" },
              { guard: "acksClientFin", target: "finWait2" },
            ],
          },
        },
        finWait2: {
          on: { "client.segment": { guard: "isFin", target: "timeWait", actions: "ackServerFin" } },
        },
        timeWait: {
          entry: "noteTimeWait",
          // Our last ACK may be lost; the server then sends its FIN again and we acknowledge again.
          on: { "client.segment": { guard: "isFin", actions: "ackServerFin" } },
        },
      },
    },
    server: {
      initial: "listen",
      states: {
        listen: {
          on: {
            "server.segment": {
              guard: "isSyn",
              target: "synReceived",
              actions: { type: "sendSynAck", params: { again: false } },
            },
          },
        },
        synReceived: {
          on: {
            "server.segment": [
              // The client sent SYN again: our SYN-ACK was lost.
              { guard: "isSyn", actions: { type: "sendSynAck", params: { again: true } } },
              // A pure ACK needs no answer; the first data segment (whose ACK flag completes the handshake if the pure ACK was lost) does.
              {
                guard: "completesHandshakeWithData",
                target: "established",
                actions: ["acknowledge", "storeReception"],
              },
              { guard: "completesHandshake", target: "established" },
            ],
          },
        },
        established: {
          on: {
            "server.segment": [
              { guard: "reachesFin", target: "lastAck", actions: ["acknowledge", "storeReception"] },
              { guard: "carriesSequence", actions: ["acknowledge", "storeReception"] },
            ],
          },
        },
        lastAck: {
          entry: "sendServerFin",
          after: {
            serverTimeout: { target: "lastAck", reenter: true, actions: ["noteServerTimeout", "countServerTimeout"] },
          },
          on: {
            "server.segment": [
              { guard: "acksServerFin", target: "closed" },
              { guard: "carriesSequence", actions: "acknowledge" },
            ],
          },
        },
        closed: { entry: "serverClosed" },
      },
    },
  },
});
