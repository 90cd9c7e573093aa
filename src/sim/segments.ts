// The link as the segment-level TCP scenario sees it: a machine hands over segments with
// sequence and acknowledgment numbers relative to each side's initial sequence number (the
// SYN is 0, the first data byte 1, as Wireshark shows them), and the trace records them with
// absolute numbers from seeded ISNs (RFC 9293 §3.4.1), so they look like a real capture.
// Nothing here retransmits: in this scenario, the machine is the TCP.

import type { Network } from "./network.ts";
import type { Peer, TraceNote } from "./trace.ts";

export interface Segment {
  flags: readonly string[];
  /** Relative to the sender's ISN. */
  seq: number;
  /** Relative to the receiver's ISN; meaningful when flags include ACK. */
  ack: number;
  /** Payload bytes. */
  len: number;
}

export interface SegmentOptions {
  label: string;
  retransmission?: boolean;
  opensRoundTrip?: boolean;
  /** Lose this transmission whatever the loss rate (the reader's "drop segment"). */
  forceLoss?: boolean;
}

export type SegmentEvent = { type: "client.segment"; segment: Segment } | { type: "server.segment"; segment: Segment };

export class SegmentWire {
  readonly isn: Record<Peer, number>;
  #net: Network;
  #dispatch: (event: SegmentEvent) => void = () => {};

  constructor(net: Network) {
    this.#net = net;
    this.isn = { client: net.random.int(2 ** 32), server: net.random.int(2 ** 32) };
  }

  attach(dispatch: (event: SegmentEvent) => void): void {
    this.#dispatch = dispatch;
  }

  send(from: Peer, segment: Segment, options: SegmentOptions): void {
    const to: Peer = from === "client" ? "server" : "client";
    const tcp = {
      flags: [...segment.flags],
      seq: (this.isn[from] + segment.seq) >>> 0,
      ack: segment.flags.includes("ACK") ? (this.isn[to] + segment.ack) >>> 0 : 0,
      payload: segment.len,
    };
    this.#net.send(
      {
        from,
        connection: 1,
        layer: "tcp",
        label: options.label,
        bytes: segment.len,
        headerBytes: 0,
        tcp,
        ...(options.opensRoundTrip ? { opensRoundTrip: true } : {}),
        ...(options.retransmission ? { retransmission: true } : {}),
      },
      () => this.#dispatch(to === "client" ? { type: "client.segment", segment } : { type: "server.segment", segment }),
      { forceLoss: options.forceLoss === true },
    );
  }

  note(peer: Peer, kind: TraceNote["kind"], text: string, extra: Partial<Pick<TraceNote, "byteRange">> = {}): void {
    this.#net.note(peer, kind, text, extra);
  }
}
