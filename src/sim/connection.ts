// TCP connections as the HTTP, polling, SSE and WebSocket scenarios see them. Those scenarios
// are about what the application protocols put on the wire, so each application message (an
// HTTP request or response, an SSE event block, a WebSocket frame) crosses the link as one
// unit, while the TCP handshake and close are drawn segment by segment with real-looking
// sequence and acknowledgment numbers. The segment-by-segment TCP model, with cumulative ACKs
// for data, is the "tcp" scenario (src/machines/tcp-connection.ts).
//
// TCP's guarantees still hold here, because the application protocols rely on them:
// - Reliable: a lost SYN, SYN-ACK, FIN or application unit is sent again after the
//   retransmission timeout (see retransmissionTimeout in link.ts), doubling per retry; the
//   trace shows every try. The acknowledgments of data units are not drawn, so they cannot be
//   lost; the handshake's last ACK and the ACKs of FINs are drawn and can be lost, and nothing
//   waits on them (the next segment carries the same acknowledgment; a real TCP would resend a
//   FIN whose ACK was lost, which this model leaves out).
//   A SYN-ACK is resent on its own timer here; a real server resends it when the client's
//   SYN arrives again, which the same initial timeout makes happen at about the same time.
// - In order: a unit that arrives after a lost one waits for it (head-of-line blocking), and
//   a FIN is processed only after everything sent before it.
//
// Connections report to the scenario's machine through `dispatch` (ConnectionEvent).

import type { Network, Outgoing } from "./network.ts";
import type { Layer, Peer, TraceMessage } from "./trace.ts";

/** One application message as it crosses a connection. */
export interface Unit {
  /** What the receiving machine sees it as. */
  kind: "request" | "response" | "event" | "upgrade" | "frame";
  layer: Layer;
  label: string;
  bytes: number;
  headerBytes: number;
  opensRoundTrip?: boolean;
  carriesEvents?: number[];
  /** WebSocket frames: the opcode (RFC 6455 §5.2), so a peer can tell a ping from a message. */
  opcode?: number;
  /** Text frames: the message text, so a server can echo it. */
  text?: string;
}

export type ConnectionEvent =
  | { type: "client.connected"; connection: number }
  | { type: "client.received"; connection: number; unit: Unit }
  | { type: "server.received"; connection: number; unit: Unit }
  /** The peer sent FIN: no more bytes will come (the receiving side then closes too). */
  | { type: "client.stream-ended"; connection: number }
  | { type: "server.stream-ended"; connection: number }
  /** The side that closed first has the other side's FIN and sent the last ACK. */
  | { type: "connection.closed"; connection: number };

type Item = { unit: Unit } | { fin: true };

interface Side {
  isn: number;
  sentBytes: number;
  finSent: boolean;
  /** Index of the next item this side sends, and of the next it expects from the peer. */
  nextOut: number;
  nextIn: number;
  inbox: Map<number, Item>;
  receivedBytes: number;
  finReceived: boolean;
}

interface Connection {
  id: number;
  sides: Record<Peer, Side>;
}

const other = (peer: Peer): Peer => (peer === "client" ? "server" : "client");
const u32 = (n: number): number => n >>> 0;

export class Connections {
  #net: Network;
  #connections = new Map<number, Connection>();
  #dispatch: (event: ConnectionEvent) => void = () => {};

  constructor(net: Network) {
    this.#net = net;
  }

  /** Where connection events go; set once the machine's actor exists. */
  attach(dispatch: (event: ConnectionEvent) => void): void {
    this.#dispatch = dispatch;
  }

  get count(): number {
    return this.#connections.size;
  }

  /** A note in the trace, for machines that have something to explain. */
  note(peer: Peer, kind: "timeout" | "state" | "note", text: string): void {
    this.#net.note(peer, kind, text);
  }

  /** The client opens a new connection: SYN now; "client.connected" when the SYN-ACK is in. */
  open(): number {
    const id = this.#connections.size + 1;
    const side = (): Side => ({
      isn: this.#net.random.int(2 ** 32),
      sentBytes: 0,
      finSent: false,
      nextOut: 0,
      nextIn: 0,
      inbox: new Map(),
      receivedBytes: 0,
      finReceived: false,
    });
    const connection: Connection = { id, sides: { client: side(), server: side() } };
    this.#connections.set(id, connection);
    const { client, server } = connection.sides;
    this.#net.note("client", "state", `connection ${id}: SYN-SENT`);
    this.#reliable(
      {
        from: "client",
        connection: id,
        layer: "tcp",
        label: "SYN",
        bytes: 0,
        headerBytes: 0,
        opensRoundTrip: true,
        tcp: { flags: ["SYN"], seq: client.isn, ack: 0, payload: 0 },
      },
      () => {
        this.#reliable(
          {
            from: "server",
            connection: id,
            layer: "tcp",
            label: "SYN, ACK",
            bytes: 0,
            headerBytes: 0,
            tcp: { flags: ["SYN", "ACK"], seq: server.isn, ack: u32(client.isn + 1), payload: 0 },
          },
          () => {
            this.#net.send({
              from: "client",
              connection: id,
              layer: "tcp",
              label: "ACK",
              bytes: 0,
              headerBytes: 0,
              tcp: { flags: ["ACK"], seq: u32(client.isn + 1), ack: u32(server.isn + 1), payload: 0 },
            });
            this.#net.note("client", "state", `connection ${id}: ESTABLISHED`);
            this.#dispatch({ type: "client.connected", connection: id });
          },
        );
      },
    );
    return id;
  }

  /** Send an application unit, reliably and in order after everything `from` sent before. */
  send(connectionId: number, from: Peer, unit: Unit): void {
    const connection = this.#connections.get(connectionId);
    if (!connection || connection.sides[from].finSent) return; // nothing may follow a FIN
    const side = connection.sides[from];
    side.sentBytes += unit.bytes;
    const { kind: _kind, opcode: _opcode, text: _text, ...visible } = unit;
    this.#sendItem(connection, from, { unit }, { ...visible, from, connection: connectionId });
  }

  /** `from` closes its half: FIN after its data. The peer acknowledges and closes its half too. */
  close(connectionId: number, from: Peer): void {
    const connection = this.#connections.get(connectionId);
    if (!connection || connection.sides[from].finSent) return;
    const side = connection.sides[from];
    const peer = connection.sides[other(from)];
    side.finSent = true;
    this.#net.note(from, "state", `connection ${connectionId}: ${side.finReceived ? "LAST-ACK" : "FIN-WAIT-1"}`);
    this.#sendItem(
      connection,
      from,
      { fin: true },
      {
        from,
        connection: connectionId,
        layer: "tcp",
        label: "FIN, ACK",
        bytes: 0,
        headerBytes: 0,
        tcp: { flags: ["FIN", "ACK"], seq: u32(side.isn + 1 + side.sentBytes), ack: ackFor(side, peer), payload: 0 },
      },
    );
  }

  #sendItem(connection: Connection, from: Peer, item: Item, message: Outgoing): void {
    const index = connection.sides[from].nextOut++;
    this.#reliable(message, () => this.#arrived(connection, other(from), index, item));
  }

  /** Send now; if the link loses it, send it again after the (backed-off) timeout. */
  #reliable(message: Outgoing, onArrive: (m: TraceMessage) => void, retries = 0): void {
    const sent = this.#net.send(retries > 0 ? { ...message, retransmission: true } : message, onArrive);
    if (sent.arrivesAt !== null) return;
    const wait = this.#net.timeoutAfter(retries);
    this.#net.clock.setTimeout(() => {
      this.#net.note(
        message.from,
        "timeout",
        `no acknowledgment for “${message.label}” after ${wait} ms: sending it again`,
      );
      this.#reliable(message, onArrive, retries + 1);
    }, wait);
  }

  #arrived(connection: Connection, to: Peer, index: number, item: Item): void {
    const side = connection.sides[to];
    side.inbox.set(index, item);
    if (index > side.nextIn) {
      this.#net.note(
        to,
        "note",
        `arrived, but waits in the receive buffer for an earlier lost segment (head-of-line blocking)`,
      );
    }
    for (let next = side.inbox.get(side.nextIn); next; next = side.inbox.get(side.nextIn)) {
      side.inbox.delete(side.nextIn);
      side.nextIn++;
      if ("fin" in next) this.#finArrived(connection, to);
      else this.#unitArrived(connection, to, next.unit);
    }
  }

  #unitArrived(connection: Connection, to: Peer, unit: Unit): void {
    connection.sides[to].receivedBytes += unit.bytes;
    if (to === "client" && unit.carriesEvents?.length) this.#net.eventsDelivered(unit.carriesEvents);
    this.#dispatch(
      to === "client"
        ? { type: "client.received", connection: connection.id, unit }
        : { type: "server.received", connection: connection.id, unit },
    );
  }

  #finArrived(connection: Connection, to: Peer): void {
    const side = connection.sides[to];
    const peer = connection.sides[other(to)];
    side.finReceived = true;
    this.#net.send({
      from: to,
      connection: connection.id,
      layer: "tcp",
      label: "ACK",
      bytes: 0,
      headerBytes: 0,
      tcp: {
        flags: ["ACK"],
        seq: u32(side.isn + 1 + side.sentBytes + (side.finSent ? 1 : 0)),
        ack: ackFor(side, peer),
        payload: 0,
      },
    });
    if (side.finSent) {
      this.#net.note(to, "state", `connection ${connection.id}: TIME-WAIT (closed)`);
      this.#dispatch({ type: "connection.closed", connection: connection.id });
      return;
    }
    this.#net.note(to, "state", `connection ${connection.id}: CLOSE-WAIT (the peer has finished sending)`);
    this.#dispatch(
      to === "client"
        ? { type: "client.stream-ended", connection: connection.id }
        : { type: "server.stream-ended", connection: connection.id },
    );
    // An application that reads end-of-stream closes its side too; modelled as at once.
    this.close(connection.id, to);
  }
}

/** The acknowledgment number `side` sends: the next byte it expects from `peer` (a FIN counts as one). */
function ackFor(side: Side, peer: Side): number {
  return u32(peer.isn + 1 + side.receivedBytes + (side.finReceived ? 1 : 0));
}
